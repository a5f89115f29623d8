package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.pipeline.stats.CaptionStats;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Asks the caption generator for captions, one concept at a time (the unit of work and of
 * durability), each with its own seed derived from the pipeline's, into {@code captions.jsonl}.
 * Each line records the generator and version that wrote it, so lineage survives a swap.
 */
final class CaptionStage {

    static final String NAME = "captions";
    private static final String FILE = "captions.jsonl";

    private CaptionStage() {}

    static StageDir run(RunContext ctx, List<String> concepts) throws IOException {
        PipelineSpec spec = ctx.spec;
        Bound<CaptionGenerator> first = ctx.component(ctx.components.captioner, spec.captionerTarget, 0);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("captioner", first.identity() + ctx.fits.address(first));
        parameters.add("concepts", StageDir.GSON.toJsonTree(concepts));
        parameters.addProperty("captions.per.concept", spec.captionsPerConcept);
        parameters.addProperty("seed", spec.seed);
        StageDir dir = ctx.stage(NAME, parameters);
        if (dir.complete()) {
            reportDiversity(ctx, dir);
            return dir;
        }
        JsonObject manifest = dir.manifest();
        int done = manifest.has("concepts.done") ? manifest.get("concepts.done").getAsInt() : 0;
        long bytes = manifest.has("bytes") ? manifest.get("bytes").getAsLong() : 0;
        Path file = dir.path().resolve(FILE);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(bytes); // drops a line a killed run may have half written
            out.position(bytes);
            RunContext.Progress progress = ctx.progress(NAME, done, concepts.size());
            for (int i = done; i < concepts.size(); i++) {
                ctx.control.boundary(i);
                Concept concept = Concept.of(concepts.get(i));
                long seed = Hashes.seed(spec.seed, NAME, i);
                int index = i;
                List<String> lines = ctx.call(ctx.components.captioner, spec.captionerTarget, i, captioner -> {
                    List<GeneratedCaption> captions = ctx.fits.serving(captioner, CaptionGenerator.class)
                            .generate(new CaptionRequest(List.of(concept), spec.captionsPerConcept, seed, List.of()));
                    if (captions.size() != spec.captionsPerConcept) {
                        throw new StageFailure(captioner.identity() + " returned " + captions.size() + " captions for '"
                                + concept.name() + "', " + spec.captionsPerConcept + " were asked for", captioner.identity(), null);
                    }
                    List<String> json = new ArrayList<>();
                    for (GeneratedCaption c : captions) {
                        JsonObject line = new JsonObject();
                        line.addProperty("concept", concept.name());
                        line.addProperty("index", index);
                        line.addProperty("text", c.caption().text());
                        line.addProperty("source", captioner.name());
                        line.addProperty("version", captioner.version());
                        line.addProperty("seed", c.caption().provenance().seed().orElse(seed));
                        json.add(line.toString());
                    }
                    return json;
                });
                byte[] unit = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
                out.write(java.nio.ByteBuffer.wrap(unit));
                out.force(false);
                bytes += unit.length;
                manifest.addProperty("concepts.done", i + 1);
                manifest.addProperty("bytes", bytes);
                dir.save();
                progress.at(i + 1);
            }
        }
        manifest.addProperty("captions", concepts.size() * (long) spec.captionsPerConcept);
        CaptionStats stats = CaptionStats.of(read(dir));
        manifest.add("diversity", StageDir.GSON.toJsonTree(stats.metrics()));
        manifest.add("captions.per.concept.generated", StageDir.GSON.toJsonTree(stats.perConcept()));
        dir.markComplete();
        reportDiversity(ctx, dir);
        return dir;
    }

    /**
     * Reports the diversity and balance of the captions (Synth2 finds them to matter most), from
     * the manifest, also when the stage is reused.
     */
    private static void reportDiversity(RunContext ctx, StageDir dir) {
        if (!dir.manifest().has("diversity")) {
            return;
        }
        JsonObject diversity = dir.manifest().getAsJsonObject("diversity");
        ctx.events.emit(org.synthloom.api.run.RunEvent.Type.METRIC, b -> {
            b.message(NAME);
            diversity.entrySet().forEach(e -> b.metric("captions/" + e.getKey(), e.getValue().getAsDouble()));
            return b;
        });
    }

    /** Reads the captions a complete stage wrote, in order, as the image generator receives them. */
    static List<GeneratedCaption> read(StageDir dir) throws IOException {
        List<GeneratedCaption> captions = new ArrayList<>();
        for (String line : Files.readAllLines(dir.path().resolve(FILE), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            String text = json.get("text").getAsString();
            if (text.isBlank()) {
                continue;
            }
            captions.add(new GeneratedCaption(Concept.of(json.get("concept").getAsString()),
                    new Caption(text, Provenance.synthetic(json.get("source").getAsString(),
                            json.get("version").getAsString(), json.get("seed").getAsLong()))));
        }
        return captions;
    }

    /** @return the concepts to caption: the configured ones, else the dataset's class names */
    static List<String> concepts(PipelineSpec spec, List<String> classNames) {
        List<String> concepts = spec.concepts.isEmpty() ? classNames : spec.concepts;
        if (concepts.isEmpty()) {
            throw new StageFailure("there are no concepts to caption: the dataset has no class names and the pipeline"
                    + " lists no 'concepts'");
        }
        return concepts.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
