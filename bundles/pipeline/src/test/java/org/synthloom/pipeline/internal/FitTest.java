package org.synthloom.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Sample;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;
import org.synthloom.store.MetricPoint;
import org.synthloom.store.wds.DecodingSource;
import org.synthloom.store.wds.SampleCodec;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Components that learn from the human data ({@code Fittable}): an image tokenizer fitted first,
 * the human and evaluation images tokenized with it, a token-space generator that trains with the
 * engine's loop, all reused by a repeated pipeline and resumed by an interrupted one.
 */
class FitTest {

    @TempDir
    Path dir;

    private static Harness tokenPipeline(Harness h, LearningPlugins.Palette palette, LearningPlugins.Retriever retriever) {
        h.withPlugins();
        h.bind(h.components.imageTokenizer, palette, "image-encoder", "palette", "1.0.0");
        h.bind(h.components.generator, retriever, "image-generator", "retriever", "1.0.0");
        h.bind(h.components.recipe, new TestPlugins.TinyClip(true), "model-recipe", "tiny-token-clip", "1.0.0");
        h.config.put("image_tokenizer_target", "(synthloom.name=palette)");
        h.config.put("generator_target", "(synthloom.name=retriever)");
        h.config.put("recipe_target", "(synthloom.name=tiny-token-clip)");
        return h;
    }

    private static List<Sample> samples(Path data, String stage) throws Exception {
        List<Path> shards;
        try (Stream<Path> files = Files.walk(data.resolve("artifacts").resolve(stage))) {
            shards = files.filter(p -> p.getFileName().toString().endsWith(".tar")).sorted().toList();
        }
        List<Sample> samples = new ArrayList<>();
        try (DecodingSource source = DecodingSource.of(shards, SampleCodec.create("test"))) {
            for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                samples.add(s.get());
            }
        }
        return samples;
    }

    @Test
    void componentsThatLearnAreFittedOnTheHumanDataAndServeTheRun() throws Exception {
        LearningPlugins.Palette palette = new LearningPlugins.Palette();
        LearningPlugins.Retriever retriever = new LearningPlugins.Retriever();
        try (Harness h = tokenPipeline(new Harness(dir), palette, retriever)) {
            PipelineRun run = h.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)), String.valueOf(h.events));
            assertEquals(1, palette.learnt.get());
            assertEquals(1, retriever.fits.get());

            List<String> stages = h.of(RunEvent.Type.PROGRESS).stream().map(RunEvent::message).distinct().toList();
            assertEquals(List.of("human", "tokens", "captions", "retriever", "images", "train", "evaluate"), stages);

            List<Sample> human = samples(h.data, "tokens");
            assertEquals(48, human.size());
            assertTrue(human.stream().allMatch(s -> s.tokens().isPresent() && s.pixels().isPresent()),
                    "tokenized human samples keep their pixels");
            assertEquals(16, human.get(0).tokens().get().ids().length, "16x16 images in 4x4 patches");
            // The palette learnt the four colours: no code is the dominant one of squares of two colours.
            java.util.Map<String, java.util.Set<Integer>> tokensByClass = new java.util.HashMap<>();
            for (Sample s : human) {
                int[] ids = s.tokens().get().ids();
                int dominant = java.util.Arrays.stream(ids).boxed().collect(java.util.stream.Collectors.groupingBy(
                        i -> i, java.util.stream.Collectors.counting())).entrySet().stream()
                        .max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
                tokensByClass.computeIfAbsent(s.labels().get(0), k -> new java.util.HashSet<>()).add(dominant);
            }
            assertEquals(4, tokensByClass.size());
            long codes = tokensByClass.values().stream().mapToLong(java.util.Set::size).sum();
            assertEquals(codes, tokensByClass.values().stream().flatMap(java.util.Set::stream).distinct().count(),
                    "each colour has codes of its own: " + tokensByClass);

            List<Sample> synthetic = samples(h.data, "images");
            assertEquals(32, synthetic.size());
            assertTrue(synthetic.stream().allMatch(s -> s.tokens().isPresent() && s.pixels().isEmpty()),
                    "the generator works in token space");
            long matching = synthetic.stream().filter(s -> human.stream().anyMatch(x -> x.tokens().equals(s.tokens())
                    && x.labels().equals(s.labels()))).count();
            assertTrue(matching >= 24, "the trained retriever answers most captions with a grid of the named colour: "
                    + matching + " of 32");

            List<Double> fitLosses = h.store.metric(run.id(), "retriever/loss").stream().map(MetricPoint::value).toList();
            assertEquals(4, fitLosses.size(), "40 steps reported every 10");
            assertTrue(fitLosses.get(3) < fitLosses.get(0) * 0.8, "the fit's loss fell: " + fitLosses);
            assertTrue(h.store.latestMetrics(run.id()).get("zero_shot_accuracy") >= 0.75,
                    "the evaluation split was tokenized with the palette: " + h.store.latestMetrics(run.id()));

            JsonObject stagesJson = JsonParser.parseString(Files.readString(h.data.resolve("runs").resolve(run.id())
                    .resolve("stages.json"))).getAsJsonObject();
            for (String fit : List.of("fit:image-encoder/palette", "fit:image-generator/retriever")) {
                Path fitDir = h.data.resolve("artifacts").resolve("fits").resolve(stagesJson.get(fit).getAsString());
                JsonObject manifest = JsonParser.parseString(Files.readString(fitDir.resolve("manifest.json")))
                        .getAsJsonObject();
                assertTrue(manifest.get("complete").getAsBoolean(), fit);
            }
            assertTrue(Files.exists(h.data.resolve("artifacts").resolve("fits")
                    .resolve(stagesJson.get("fit:image-generator/retriever").getAsString())
                    .resolve("checkpoints-retriever")), "the fit's training was checkpointed in its directory");
        }
    }

    @Test
    void anInterruptedFitResumesFromItsCheckpointAndWhatWasLearntIsLoadedNotRelearnt() throws Exception {
        LearningPlugins.Palette palette = new LearningPlugins.Palette();
        LearningPlugins.Retriever retriever = new LearningPlugins.Retriever();
        try (Harness h = tokenPipeline(new Harness(dir), palette, retriever)) {
            h.config.put("checkpoint_every", 10);
            PipelineRun first = h.start();
            h.onEvent = e -> {
                if (e.type() == RunEvent.Type.METRIC && "retriever".equals(e.message()) && e.step() == 20) {
                    first.cancel();
                }
            };
            assertEquals(RunState.CANCELLED, first.await(Duration.ofMinutes(3)), String.valueOf(h.events));
            h.onEvent = e -> { };
            int eventsBefore = h.events.size();

            PipelineRun second = h.start();
            assertEquals(RunState.FINISHED, second.await(Duration.ofMinutes(3)), String.valueOf(h.events));
            assertEquals(first.id(), second.id(), "the unfinished run is resumed");
            assertEquals(1, palette.learnt.get(), "the palette loaded what it learnt");
            assertEquals(2, palette.fits.get());
            List<Long> resumedSteps = h.events.subList(eventsBefore, h.events.size()).stream()
                    .filter(e -> e.type() == RunEvent.Type.METRIC && "retriever".equals(e.message()))
                    .map(RunEvent::step).toList();
            assertEquals(List.of(30L, 40L), resumedSteps, "the fit's training resumed after its checkpoint at step 20");

            // A finished pipeline started again reuses every stage: nothing is fitted.
            PipelineRun third = h.start();
            assertEquals(RunState.FINISHED, third.await(Duration.ofMinutes(1)));
            assertEquals(2, palette.fits.get());
            assertEquals(2, retriever.fits.get());
        }
    }

    @Test
    void pixelSpaceOutputIsTokenizedForATokenModel() throws Exception {
        LearningPlugins.Palette palette = new LearningPlugins.Palette();
        try (Harness h = new Harness(dir).withPlugins()) {
            h.bind(h.components.imageTokenizer, palette, "image-encoder", "palette", "1.0.0");
            h.bind(h.components.recipe, new TestPlugins.TinyClip(true), "model-recipe", "tiny-token-clip", "1.0.0");
            h.config.put("image_tokenizer_target", "(synthloom.name=palette)");
            h.config.put("recipe_target", "(synthloom.name=tiny-token-clip)");
            assertEquals(RunState.FINISHED, h.runToEnd(), String.valueOf(h.events));
            List<Sample> synthetic = samples(h.data, "images");
            assertFalse(synthetic.isEmpty());
            assertTrue(synthetic.stream().allMatch(s -> s.tokens().isPresent() && s.pixels().isPresent()),
                    "the painter's pixels were tokenized with the fitted palette");
            JsonObject manifest = JsonParser.parseString(Files.readString(Files.walk(h.data.resolve("artifacts")
                    .resolve("images")).filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst()
                    .orElseThrow())).getAsJsonObject();
            assertTrue(manifest.get("generation.seconds").getAsDouble() > 0, "generation cost is measured");
        }
    }

    @Test
    void anUnknownImageTokenizerFilterIsAConfigurationProblem() {
        try (Harness h = new Harness(dir)) {
            h.config.put("image_tokenizer_target", "(synthloom.name=vqgan");
            assertTrue(h.spec().problems.stream().anyMatch(p -> p.startsWith("image.tokenizer.target")), 
                    String.valueOf(h.spec().problems));
        }
    }
}
