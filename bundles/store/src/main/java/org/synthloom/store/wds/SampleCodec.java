package org.synthloom.store.wds;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Embedding;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Origin;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.imageio.ImageCodec;
import org.synthloom.store.npy.Npy;
import org.synthloom.store.npy.NpyArray;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Converts between {@link Sample}s and WebDataset members.
 *
 * <p>Written members: {@code png} (or {@code jpg}) for pixels; {@code txt} with the first caption,
 * for tools that read one caption; {@code json} with everything else (all captions with their
 * provenance, labels, the image's provenance, token and embedding descriptions, metadata);
 * {@code npy} with the VQ token grid (int32, rows x columns), or with the embedding when there are
 * no tokens; {@code emb.npy} with the embedding when there are tokens too.
 *
 * <p>Reading also accepts shards written by other tools: img2dataset's {@code jpg} + {@code txt} +
 * {@code json} (with {@code caption}), captions from {@code txt} alone, labels from {@code cls}.
 * Images may be PNG, JPEG, GIF or BMP. Instances are immutable and thread safe.
 */
public final class SampleCodec {

    /** How pixels are stored in a shard. */
    public enum ImageFormat {
        /** Lossless; the default. */
        PNG,
        /** Smaller; lossy. */
        JPG
    }

    private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "gif", "bmp");
    private static final Gson GSON = new Gson();

    private final ImageFormat imageFormat;
    private final float jpegQuality;
    private final String defaultSource;
    private final boolean decodePixels;

    private SampleCodec(ImageFormat imageFormat, float jpegQuality, String defaultSource, boolean decodePixels) {
        this.imageFormat = imageFormat;
        this.jpegQuality = jpegQuality;
        this.defaultSource = defaultSource;
        this.decodePixels = decodePixels;
    }

    /**
     * @param defaultSource the dataset named in the provenance of samples whose shards do not say
     *     where they came from (shards written by other tools)
     * @return a codec writing PNG and decoding pixels
     */
    public static SampleCodec create(String defaultSource) {
        return new SampleCodec(ImageFormat.PNG, 0.95f, defaultSource, true);
    }

    /**
     * @param format how to store pixels
     * @param quality JPEG quality in (0, 1]
     * @return a codec that writes images in that format
     */
    public SampleCodec withImageFormat(ImageFormat format, float quality) {
        return new SampleCodec(format, quality, defaultSource, decodePixels);
    }

    /**
     * @param decode false to leave pixels out of decoded samples (token-space training needs none)
     * @return a codec that decodes pixels or not
     */
    public SampleCodec withPixelDecoding(boolean decode) {
        return new SampleCodec(imageFormat, jpegQuality, defaultSource, decode);
    }

    /**
     * Encodes a sample.
     *
     * @param sample the sample
     * @return its members, keyed by the sample id
     */
    public RawSample encode(Sample sample) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        sample.pixels().ifPresent(pixels -> members.put(imageFormat == ImageFormat.PNG ? "png" : "jpg",
                imageFormat == ImageFormat.PNG ? ImageCodec.encodePng(pixels) : ImageCodec.encodeJpeg(pixels, jpegQuality)));
        if (!sample.captions().isEmpty()) {
            members.put("txt", sample.captions().get(0).text().getBytes(StandardCharsets.UTF_8));
        }
        members.put("json", GSON.toJson(describe(sample)).getBytes(StandardCharsets.UTF_8));
        sample.tokens().ifPresent(t -> members.put("npy", Npy.write(NpyArray.ofInts(t.ids(), t.rows(), t.columns()))));
        sample.embedding().ifPresent(e -> members.put(sample.tokens().isPresent() ? "emb.npy" : "npy",
                Npy.write(NpyArray.ofFloats(e.values(), e.shape()))));
        return new RawSample(sample.id(), "", members);
    }

    private static JsonObject describe(Sample sample) {
        JsonObject json = new JsonObject();
        json.addProperty("id", sample.id());
        JsonArray captions = new JsonArray();
        for (Caption caption : sample.captions()) {
            JsonObject c = provenance(caption.provenance());
            c.addProperty("text", caption.text());
            captions.add(c);
        }
        json.add("captions", captions);
        JsonArray labels = new JsonArray();
        sample.labels().forEach(labels::add);
        json.add("labels", labels);
        json.add("image", provenance(sample.imageProvenance()));
        sample.tokens().ifPresent(t -> {
            JsonObject tokens = new JsonObject();
            tokens.addProperty("rows", t.rows());
            tokens.addProperty("cols", t.columns());
            tokens.addProperty("codebook", t.codebook());
            tokens.addProperty("size", t.codebookSize());
            json.add("tokens", tokens);
        });
        sample.embedding().ifPresent(e -> {
            JsonObject embedding = new JsonObject();
            embedding.addProperty("space", e.space());
            json.add("embedding", embedding);
        });
        JsonObject metadata = new JsonObject();
        sample.metadata().forEach(metadata::addProperty);
        json.add("metadata", metadata);
        return json;
    }

    /**
     * The JSON form of a provenance, as a sample's {@code .json} member stores it: {@code origin}
     * (lower case), {@code source}, and {@code version} and {@code seed} when known. Readers of
     * sample metadata (the console's sample browser) describe provenance with the same fields.
     *
     * @param p the provenance
     * @return a new JSON object
     */
    public static JsonObject provenance(Provenance p) {
        JsonObject json = new JsonObject();
        json.addProperty("origin", p.origin().name().toLowerCase(Locale.ROOT));
        json.addProperty("source", p.source());
        if (!p.sourceVersion().isEmpty()) {
            json.addProperty("version", p.sourceVersion());
        }
        p.seed().ifPresent(seed -> json.addProperty("seed", seed));
        return json;
    }

    /**
     * Decodes a raw sample.
     *
     * @param raw the members
     * @return the sample
     * @throws IOException if a member is corrupt or the sample has nothing usable; the message
     *     names the member and the reason
     */
    public Sample decode(RawSample raw) throws IOException {
        String where = raw.location() + ":" + raw.key();
        JsonObject json = raw.member("json") == null ? new JsonObject() : parseJson(raw.member("json"), where + ".json");
        Provenance human = Provenance.human(defaultSource);
        Sample.Builder builder = Sample.builder(WdsKeys.sampleId(raw.key()))
                .imageProvenance(json.has("image") && json.get("image").isJsonObject()
                        ? provenance(json.getAsJsonObject("image"), human, where) : human);
        boolean hasImage = false;
        for (String extension : IMAGE_EXTENSIONS) {
            byte[] encoded = raw.member(extension);
            if (encoded != null) {
                if (decodePixels) {
                    builder.pixels(ImageCodec.decode(encoded, where + "." + extension));
                }
                hasImage = true;
                break;
            }
        }
        if (!hasImage && raw.member("webp") != null) {
            throw new IOException(where + ".webp: WebP images are not supported (PNG, JPEG, GIF and BMP are)");
        }
        for (Caption caption : captions(json, raw, human, where)) {
            builder.caption(caption);
        }
        labels(json, raw, where).forEach(builder::label);
        TokenGrid tokens = null;
        Embedding embedding = null;
        if (raw.member("npy") != null) {
            NpyArray array = readNpy(raw.member("npy"), where + ".npy");
            if (array.dtype().isIntegral()) {
                tokens = tokens(array, json, where);
                builder.tokens(tokens);
            } else {
                embedding = embedding(array, json);
                builder.embedding(embedding);
            }
        }
        if (raw.member("emb.npy") != null) {
            builder.embedding(embedding(readNpy(raw.member("emb.npy"), where + ".emb.npy"), json));
        }
        if (json.has("metadata") && json.get("metadata").isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("metadata").entrySet()) {
                builder.metadata(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString());
            }
        }
        if (!hasImage && tokens == null && embedding == null && raw.member("emb.npy") == null) {
            throw new IOException(where + ": the sample has no image (png, jpg, jpeg, gif, bmp), tokens or embedding");
        }
        try {
            return builder.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject parseJson(byte[] bytes, String where) throws IOException {
        try {
            JsonElement element = JsonParser.parseString(utf8(bytes, where));
            if (!element.isJsonObject()) {
                throw new IOException(where + ": the JSON member is not an object");
            }
            return element.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(where + ": the JSON member does not parse (" + e.getMessage() + ")", e);
        }
    }

    private static String utf8(byte[] bytes, String where) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(where + ": the text is not valid UTF-8", e);
        }
    }

    private static List<Caption> captions(JsonObject json, RawSample raw, Provenance human, String where) throws IOException {
        List<Caption> captions = new java.util.ArrayList<>();
        if (json.has("captions") && json.get("captions").isJsonArray()) {
            for (JsonElement element : json.getAsJsonArray("captions")) {
                if (element.isJsonPrimitive()) {
                    addCaption(captions, element.getAsString(), human);
                } else if (element.isJsonObject() && element.getAsJsonObject().has("text")) {
                    JsonObject c = element.getAsJsonObject();
                    addCaption(captions, c.get("text").getAsString(), provenance(c, human, where));
                }
            }
        }
        if (captions.isEmpty() && raw.member("txt") != null) {
            addCaption(captions, utf8(raw.member("txt"), where + ".txt"), human);
        }
        if (captions.isEmpty()) {
            for (String key : new String[] {"caption", "text"}) {
                if (json.has(key) && json.get(key).isJsonPrimitive()) {
                    addCaption(captions, json.get(key).getAsString(), human);
                }
            }
        }
        return captions;
    }

    private static void addCaption(List<Caption> captions, String text, Provenance provenance) {
        String trimmed = text.strip();
        if (!trimmed.isEmpty()) {
            captions.add(new Caption(trimmed, provenance));
        }
    }

    private static List<String> labels(JsonObject json, RawSample raw, String where) throws IOException {
        List<String> labels = new java.util.ArrayList<>();
        if (json.has("labels") && json.get("labels").isJsonArray()) {
            json.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString()));
        } else if (json.has("label") && json.get("label").isJsonPrimitive()) {
            labels.add(json.get("label").getAsString());
        } else if (raw.member("cls") != null) {
            String cls = utf8(raw.member("cls"), where + ".cls").strip();
            if (!cls.isEmpty()) {
                labels.add(cls);
            }
        }
        return labels;
    }

    private static Provenance provenance(JsonObject json, Provenance fallback, String where) throws IOException {
        String origin = json.has("origin") ? json.get("origin").getAsString() : "human";
        String source = json.has("source") ? json.get("source").getAsString() : fallback.source();
        if (Origin.SYNTHETIC.name().equalsIgnoreCase(origin)) {
            if (!json.has("seed")) {
                throw new IOException(where + ".json: a synthetic provenance without a seed");
            }
            return Provenance.synthetic(source, json.has("version") ? json.get("version").getAsString() : "",
                    json.get("seed").getAsLong());
        }
        return Provenance.human(source);
    }

    private static NpyArray readNpy(byte[] bytes, String where) throws IOException {
        try {
            return Npy.read(bytes);
        } catch (IOException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static TokenGrid tokens(NpyArray array, JsonObject json, String where) throws IOException {
        int[] shape = array.shape();
        int[] ids = array.toIntArray();
        JsonObject description = json.has("tokens") && json.get("tokens").isJsonObject() ? json.getAsJsonObject("tokens")
                : new JsonObject();
        int rows = shape.length == 2 ? shape[0] : 1;
        int columns = shape.length == 2 ? shape[1] : ids.length;
        int max = 0;
        for (int id : ids) {
            max = Math.max(max, id);
        }
        int size = description.has("size") ? description.get("size").getAsInt() : max + 1;
        String codebook = description.has("codebook") ? description.get("codebook").getAsString() : "unknown";
        try {
            return new TokenGrid(rows, columns, ids, codebook, size);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ".npy: " + e.getMessage(), e);
        }
    }

    private static Embedding embedding(NpyArray array, JsonObject json) {
        String space = json.has("embedding") && json.get("embedding").isJsonObject()
                && json.getAsJsonObject("embedding").has("space")
                ? json.getAsJsonObject("embedding").get("space").getAsString() : "unknown";
        return new Embedding(array.toFloatArray(), array.shape(), space);
    }
}
