package org.synthloom.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.Recaptioner;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Fittable;
import org.synthloom.store.wds.DecodingSource;
import org.synthloom.store.wds.SampleCodec;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The recaption stage: a fitted recaptioner rewrites each human training sample's first caption,
 * the shards hold the samples with the rewritten caption added (synthetic, naming the
 * recaptioner), training reads them, a repeated pipeline reuses them and a cancelled one resumes
 * after its last complete shard with the same result.
 */
class RecaptionStageTest {

    @TempDir
    Path dir;

    /**
     * A recaptioner that learns the number of human samples with two captions, and writes
     * "rewritten &lt;first caption&gt; seeing code &lt;first VQ id&gt; of &lt;learnt count&gt;".
     */
    static final class Rewriter implements Recaptioner, Fittable<Recaptioner> {
        final AtomicInteger fits = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile IntConsumer onCall = n -> { };

        @Override
        public List<Caption> recaption(List<Sample> samples, long seed) throws GenerationException {
            throw new GenerationException("rewriter: not fitted");
        }

        @Override
        public Recaptioner fit(FitContext context) throws IOException {
            fits.incrementAndGet();
            int pairs = 0;
            try (SampleSource source = context.open()) {
                for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                    pairs += s.get().captions().size() >= 2 ? 1 : 0;
                }
            }
            int learnt = pairs;
            return (samples, seed) -> {
                onCall.accept(calls.incrementAndGet());
                List<Caption> out = new ArrayList<>();
                for (Sample s : samples) {
                    out.add(new Caption("rewritten " + s.captions().get(0).text() + " seeing code "
                            + s.tokens().orElseThrow().ids()[0] + " of " + learnt,
                            Provenance.synthetic("rewriter", "1.0.0", seed)));
                }
                return out;
            };
        }
    }

    private static Harness pipeline(Harness h, Rewriter rewriter) {
        h.withPlugins();
        h.bind(h.components.imageTokenizer, new LearningPlugins.Palette(), "image-encoder", "palette", "1.0.0");
        h.bind(h.components.recipe, new TestPlugins.TinyClip(true), "model-recipe", "tiny-token-clip", "1.0.0");
        h.bind(h.components.recaptioner, rewriter, "recaptioner", "rewriter", "1.0.0");
        h.config.put("image_tokenizer_target", "(synthloom.name=palette)");
        h.config.put("recipe_target", "(synthloom.name=tiny-token-clip)");
        h.config.put("recaptioner_target", "(synthloom.name=rewriter)");
        h.config.put("captions_per_concept", 0); // human data only: the stage is what is tested
        h.config.put("synthetic_ratio", 0.0);
        h.config.put("train_steps", 20);
        return h;
    }

    private static List<Path> shards(Path stage) throws IOException {
        try (Stream<Path> files = Files.walk(stage)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tar")).sorted().toList();
        }
    }

    private static List<Sample> read(List<Path> shards) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (DecodingSource source = DecodingSource.of(shards, SampleCodec.create("test"))) {
            for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                samples.add(s.get());
            }
        }
        return samples;
    }

    private static JsonObject manifest(Path stageRoot) throws IOException {
        try (Stream<Path> files = Files.walk(stageRoot)) {
            Path m = files.filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow();
            return JsonParser.parseString(Files.readString(m)).getAsJsonObject();
        }
    }

    @Test
    void theRecaptionerRewritesEveryHumanTrainingCaptionIntoShardsThatTrainingReads() throws Exception {
        Rewriter rewriter = new Rewriter();
        try (Harness h = pipeline(new Harness(dir), rewriter)) {
            assertEquals(RunState.FINISHED, h.runToEnd(), String.valueOf(h.events));
            assertEquals(1, rewriter.fits.get());
            List<String> stages = h.of(RunEvent.Type.PROGRESS).stream().map(RunEvent::message).distinct().toList();
            assertEquals(List.of("human", "tokens", "recaption", "train", "evaluate"), stages);

            Path root = h.data.resolve("artifacts");
            List<Sample> tokens = read(shards(root.resolve("tokens")));
            List<Sample> rewritten = read(shards(root.resolve("recaption")));
            assertEquals(48, rewritten.size());
            for (int i = 0; i < tokens.size(); i++) {
                Sample before = tokens.get(i);
                Sample after = rewritten.get(i);
                assertEquals(before.id(), after.id());
                assertEquals(before.tokens(), after.tokens());
                assertEquals(before.captions(), after.captions().subList(0, 2), "the human captions are kept, first");
                Caption added = after.captions().get(2);
                assertEquals("rewritten " + before.captions().get(0).text() + " seeing code "
                        + before.tokens().get().ids()[0] + " of 48", added.text());
                assertTrue(added.provenance().isSynthetic());
                assertEquals("rewriter", added.provenance().source());
            }
            JsonObject manifest = manifest(root.resolve("recaption"));
            assertTrue(manifest.get("complete").getAsBoolean());
            assertEquals(48, manifest.get("samples").getAsLong());
            JsonObject parameters = manifest.getAsJsonObject("parameters");
            assertEquals(manifest(root.resolve("tokens")).get("address").getAsString(),
                    parameters.get("human").getAsString());
            assertTrue(parameters.get("recaptioner").getAsString().startsWith("recaptioner/rewriter"),
                    parameters.toString());
            assertEquals(3, manifest.getAsJsonArray("shards").size());
            for (var shard : manifest.getAsJsonArray("shards")) {
                assertTrue(shard.getAsJsonObject().getAsJsonArray("produced.by").get(0).getAsString()
                        .startsWith("recaptioner/rewriter"), shard.toString());
            }
            // Training read the rewritten shards.
            assertEquals(manifest.get("address").getAsString(),
                    manifest(root.resolve("train")).getAsJsonObject("parameters").get("human").getAsString());

            // Started again, the pipeline reuses the stage: nothing is fitted or rewritten.
            int calls = rewriter.calls.get();
            assertEquals(RunState.FINISHED, h.runToEnd());
            assertEquals(1, rewriter.fits.get());
            assertEquals(calls, rewriter.calls.get());
        }
    }

    @Test
    void aCancelledRecaptionResumesAfterItsLastCompleteShard() throws Exception {
        Rewriter rewriter = new Rewriter();
        List<Sample> resumed;
        try (Harness h = pipeline(new Harness(dir.resolve("cancelled")), rewriter)) {
            PipelineRun first = h.start();
            rewriter.onCall = n -> {
                if (n == 2) {
                    first.cancel(); // after this call's shard: the stage stops at the next boundary
                }
            };
            assertEquals(RunState.CANCELLED, first.await(Duration.ofMinutes(3)), String.valueOf(h.events));
            assertEquals(2, rewriter.calls.get());
            assertEquals(2, manifest(h.data.resolve("artifacts").resolve("recaption")).getAsJsonArray("shards").size());
            rewriter.onCall = n -> { };
            PipelineRun second = h.start();
            assertEquals(RunState.FINISHED, second.await(Duration.ofMinutes(3)), String.valueOf(h.events));
            assertEquals(first.id(), second.id());
            assertEquals(3, rewriter.calls.get(), "only the third shard was rewritten after the resume");
            resumed = read(shards(h.data.resolve("artifacts").resolve("recaption")));
        }
        Rewriter fresh = new Rewriter();
        try (Harness h = pipeline(new Harness(dir.resolve("fresh")), fresh)) {
            assertEquals(RunState.FINISHED, h.runToEnd(), String.valueOf(h.events));
            assertEquals(read(shards(h.data.resolve("artifacts").resolve("recaption"))), resumed);
        }
    }

    @Test
    void aBadRecaptionerFilterIsAConfigurationProblemAndNoneMeansNoStage() {
        try (Harness h = new Harness(dir)) {
            h.config.put("recaptioner_target", "(synthloom.name=clips");
            assertTrue(h.spec().problems.stream().anyMatch(p -> p.startsWith("recaptioner.target")),
                    String.valueOf(h.spec().problems));
            h.config.put("recaptioner_target", "");
            assertTrue(!h.spec().effective().has("recaptioner.target"), "an unset recaptioner keeps earlier hashes");
        }
    }
}
