package org.synthloom.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.imageio.ImageCodec;
import org.synthloom.store.RunStore;
import org.synthloom.store.wds.ProblemLog;
import org.synthloom.store.wds.RawSample;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardReader;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The samples gallery: the human and synthetic shards a run trained on ({@code runs/<id>/stages.json}
 * names each stage's directory), listed with captions, labels and provenance, filtered by class and
 * source, and their images. An image stored only as VQ tokens is decoded by an image tokenizer
 * when one is registered for its codebook, and drawn as its token grid otherwise.
 */
final class SamplesApi {

    /** The stages whose shards hold samples, and the source each one is. */
    static final Map<String, String> STAGES = Map.of("human", "human", "images", "synthetic");
    private static final int MAX_INDEXED = 20_000;

    /** Decodes token grids into pixels; empty if no tokenizer serves that codebook. */
    interface TokenDecoder {
        Optional<ImagePixels> decode(TokenGrid grid);
    }

    /** One sample as the gallery lists it: where it is and what it says, no pixels. */
    record Entry(String stage, String shard, String key, JsonObject description, List<String> labels, String origin) {}

    private final RunStore store;
    private final DataPaths paths;
    private final Supplier<TokenDecoder> decoder;
    private final Map<String, Index> indexes = new ConcurrentHashMap<>();

    private record Index(long manifestModified, List<Entry> entries) {}

    SamplesApi(RunStore store, DataPaths paths, Supplier<TokenDecoder> decoder) {
        this.store = store;
        this.paths = paths;
        this.decoder = decoder;
    }

    private String runId(ApiRequest request) {
        String id = DataPaths.name(request.param("id"), "run id");
        if (store.run(id).isEmpty()) {
            throw ApiException.notFound("no run with id " + id);
        }
        return id;
    }

    /** @return stage name to directory address, as the run recorded them */
    private JsonObject stages(String runId) throws IOException {
        Path file = paths.resolve("runs", runId, "stages.json");
        if (!Files.isRegularFile(file)) {
            return new JsonObject();
        }
        JsonElement json = JsonParser.parseString(Files.readString(file));
        return json.isJsonObject() ? json.getAsJsonObject() : new JsonObject();
    }

    ApiResponse list(ApiRequest request) throws IOException {
        String runId = runId(request);
        String source = request.query("source", "all").toLowerCase(Locale.ROOT);
        if (!List.of("all", "human", "synthetic").contains(source)) {
            throw ApiException.badRequest("source must be all, human or synthetic, not '" + source + "'");
        }
        String cls = request.query("class", "");
        int offset = request.queryInt("offset", 0, 0, Integer.MAX_VALUE);
        int limit = request.queryInt("limit", 24, 1, 200);
        JsonObject stages = stages(runId);
        List<Entry> matched = new ArrayList<>();
        TreeSet<String> classes = new TreeSet<>();
        int human = 0;
        int synthetic = 0;
        for (String stage : List.of("human", "images")) {
            if (!stages.has(stage)) {
                continue;
            }
            for (Entry e : index(stage, stages.get(stage).getAsString())) {
                classes.addAll(e.labels());
                if (e.origin().equals("human")) {
                    human++;
                } else {
                    synthetic++;
                }
                boolean sourceOk = source.equals("all") || source.equals(STAGES.get(stage));
                if (sourceOk && (cls.isEmpty() || e.labels().contains(cls))) {
                    matched.add(e);
                }
            }
        }
        JsonArray samples = new JsonArray();
        for (int i = offset; i < Math.min(matched.size(), offset + limit); i++) {
            Entry e = matched.get(i);
            JsonObject s = e.description().deepCopy();
            s.addProperty("stage", e.stage());
            s.addProperty("source", STAGES.get(e.stage()));
            s.addProperty("shard", e.shard());
            s.addProperty("key", e.key());
            s.addProperty("image", "/api/v1/runs/" + runId + "/samples/" + e.stage() + "/" + e.key() + "/image");
            samples.add(s);
        }
        JsonObject body = new JsonObject();
        body.addProperty("run", runId);
        body.addProperty("total", matched.size());
        body.addProperty("offset", offset);
        body.addProperty("limit", limit);
        body.addProperty("human", human);
        body.addProperty("synthetic", synthetic);
        JsonArray classArray = new JsonArray();
        classes.forEach(classArray::add);
        body.add("classes", classArray);
        body.add("samples", samples);
        return ApiResponse.ok(body);
    }

    /** The entries of a stage directory, read once per manifest version. */
    private List<Entry> index(String stage, String address) throws IOException {
        Path dir = paths.resolve("artifacts", stage, DataPaths.name(address, "stage address"));
        Path manifest = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifest)) {
            return List.of();
        }
        long modified = Files.getLastModifiedTime(manifest).toMillis();
        String cacheKey = stage + "/" + address;
        Index cached = indexes.get(cacheKey);
        if (cached != null && cached.manifestModified() == modified) {
            return cached.entries();
        }
        JsonObject json = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        List<Entry> entries = new ArrayList<>();
        SampleCodec codec = SampleCodec.create(stage.equals("human") ? "human" : "synthetic").withPixelDecoding(false);
        if (json.has("shards")) {
            for (JsonElement shard : json.getAsJsonArray("shards")) {
                String file = DataPaths.name(shard.getAsJsonObject().get("file").getAsString(), "shard file");
                try (ShardReader reader = new ShardReader(dir.resolve(file), new ProblemLog())) {
                    for (Optional<RawSample> raw = reader.next(); raw.isPresent() && entries.size() < MAX_INDEXED;
                            raw = reader.next()) {
                        try {
                            Sample s = codec.decode(raw.get());
                            entries.add(new Entry(stage, file, raw.get().key(), describe(s), s.labels(),
                                    s.imageProvenance().isSynthetic() ? "synthetic" : "human"));
                        } catch (IOException skipped) {
                            // a corrupt sample is not shown; the run's problem log has it
                        }
                    }
                }
            }
        }
        indexes.put(cacheKey, new Index(modified, List.copyOf(entries)));
        return entries;
    }

    private static JsonObject describe(Sample s) {
        JsonObject json = new JsonObject();
        json.addProperty("id", s.id());
        JsonArray labels = new JsonArray();
        s.labels().forEach(labels::add);
        json.add("labels", labels);
        json.add("imageProvenance", SampleCodec.provenance(s.imageProvenance()));
        JsonArray captions = new JsonArray();
        for (Caption c : s.captions()) {
            JsonObject caption = SampleCodec.provenance(c.provenance());
            caption.addProperty("text", c.text());
            captions.add(caption);
        }
        json.add("captions", captions);
        s.tokens().ifPresent(t -> {
            JsonObject tokens = new JsonObject();
            tokens.addProperty("rows", t.rows());
            tokens.addProperty("columns", t.columns());
            tokens.addProperty("codebook", t.codebook());
            tokens.addProperty("codebookSize", t.codebookSize());
            json.add("tokens", tokens);
        });
        JsonObject metadata = new JsonObject();
        s.metadata().forEach(metadata::addProperty);
        json.add("metadata", metadata);
        return json;
    }

    /** GET .../samples/{stage}/{key}/image */
    ApiResponse image(ApiRequest request) throws IOException {
        String runId = runId(request);
        String stage = DataPaths.name(request.param("stage"), "stage");
        String key = DataPaths.name(request.param("key"), "sample key");
        if (!STAGES.containsKey(stage)) {
            throw ApiException.badRequest("stage must be human or images, not '" + stage + "'");
        }
        JsonObject stages = stages(runId);
        if (!stages.has(stage)) {
            throw ApiException.notFound("run " + runId + " has no " + stage + " stage");
        }
        String address = DataPaths.name(stages.get(stage).getAsString(), "stage address");
        Entry entry = index(stage, address).stream().filter(e -> e.key().equals(key)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no sample " + key + " in the " + stage + " shards of run " + runId));
        Path shard = paths.resolve("artifacts", stage, address, entry.shard());
        try (ShardReader reader = new ShardReader(shard, new ProblemLog())) {
            for (Optional<RawSample> raw = reader.next(); raw.isPresent(); raw = reader.next()) {
                if (raw.get().key().equals(key)) {
                    return render(raw.get());
                }
            }
        }
        throw ApiException.notFound("sample " + key + " is no longer in " + entry.shard());
    }

    private ApiResponse render(RawSample raw) throws IOException {
        if (raw.member("png") != null) {
            return ApiResponse.bytes("image/png", raw.member("png"));
        }
        for (String ext : List.of("jpg", "jpeg")) {
            if (raw.member(ext) != null) {
                return ApiResponse.bytes("image/jpeg", raw.member(ext));
            }
        }
        Sample sample = SampleCodec.create("gallery").decode(raw);
        if (sample.pixels().isPresent()) {
            return ApiResponse.bytes("image/png", ImageCodec.encodePng(sample.pixels().get()));
        }
        if (sample.tokens().isPresent()) {
            TokenGrid grid = sample.tokens().get();
            TokenDecoder d = decoder.get();
            Optional<ImagePixels> decoded = d == null ? Optional.empty() : d.decode(grid);
            if (decoded.isPresent()) {
                return withKind(ApiResponse.bytes("image/png", ImageCodec.encodePng(decoded.get())), "tokens-decoded");
            }
            return withKind(ApiResponse.bytes("image/png", ImageCodec.encodePng(tokenGrid(grid))), "tokens-placeholder");
        }
        throw ApiException.notFound("sample " + raw.key() + " has no image");
    }

    private static ApiResponse withKind(ApiResponse r, String kind) {
        return new ApiResponse(r.status(), r.contentType(), r.body(), Map.of("X-Synthloom-Image", kind));
    }

    /**
     * Draws a token grid when no tokenizer can decode it: one 8x8 cell per token, its colour a
     * function of the token id (equal ids, equal colours), so structure is visible.
     */
    static ImagePixels tokenGrid(TokenGrid grid) {
        int cell = 8;
        int w = grid.columns() * cell;
        int h = grid.rows() * cell;
        byte[] rgb = new byte[w * h * 3];
        int[] ids = grid.ids();
        for (int r = 0; r < grid.rows(); r++) {
            for (int c = 0; c < grid.columns(); c++) {
                int id = ids[r * grid.columns() + c];
                int color = java.awt.Color.HSBtoRGB((id * 0.618034f) % 1f, 0.55f, 0.5f + 0.5f * ((id * 7) % 11) / 10f);
                for (int y = 0; y < cell; y++) {
                    for (int x = 0; x < cell; x++) {
                        boolean border = x == cell - 1 || y == cell - 1;
                        int i = ((r * cell + y) * w + c * cell + x) * 3;
                        rgb[i] = (byte) (border ? 255 : color >> 16);
                        rgb[i + 1] = (byte) (border ? 255 : color >> 8);
                        rgb[i + 2] = (byte) (border ? 255 : color);
                    }
                }
            }
        }
        return new ImagePixels(w, h, 3, rgb);
    }
}
