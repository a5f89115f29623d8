package org.synthloom.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;
import org.synthloom.store.MetricPoint;
import org.synthloom.testkit.Configs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The engine end to end, outside OSGi, on libtorch and the H2 store, with the test plugins. */
class PipelineRunTest {

    @TempDir
    Path dir;

    /** Every shard of a stage family with its SHA-256, by file name. */
    private static Map<String, String> shards(Path data, String stage) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        Path root = data.resolve("artifacts").resolve(stage);
        try (Stream<Path> manifests = Files.walk(root).filter(p -> p.getFileName().toString().equals("manifest.json"))) {
            for (Path manifest : manifests.toList()) {
                JsonObject json = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
                if (!json.has("shards")) {
                    continue; // a stage interrupted before its first shard
                }
                json.getAsJsonArray("shards").forEach(s -> hashes.put(s.getAsJsonObject().get("file").getAsString(),
                        s.getAsJsonObject().get("sha256").getAsString()));
            }
        }
        return hashes;
    }

    private static List<Double> losses(Harness h, String runId) {
        return h.store.metric(runId, "loss").stream().map(MetricPoint::value).toList();
    }

    @Test
    void aRunWritesEveryStageLearnsAndRecordsItsEvents() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            PipelineRun run = h.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)), String.valueOf(h.events));
            assertEquals(3, shards(h.data, "human").size(), "48 human samples in shards of 16");
            assertEquals(2, shards(h.data, "images").size(), "4 concepts x 4 captions x 2 images = 32 samples");
            assertEquals(3, h.of(RunEvent.Type.CHECKPOINT).size());
            List<String> stages = h.of(RunEvent.Type.PROGRESS).stream().map(RunEvent::message).distinct().toList();
            assertEquals(List.of("human", "captions", "images", "train", "evaluate"), stages);
            List<Double> losses = losses(h, run.id());
            assertEquals(6, losses.size());
            assertTrue(losses.get(5) < losses.get(0) * 0.7, "loss fell: " + losses);
            double accuracy = h.store.latestMetrics(run.id()).get("zero_shot_accuracy");
            assertTrue(accuracy >= 0.75, "zero-shot accuracy " + accuracy + " over chance 0.25");
            assertEquals(RunState.FINISHED, h.store.run(run.id()).orElseThrow().state());
            assertEquals(h.events, h.store.events(run.id()), "the store kept every event in order");
            Path results = h.data.resolve("runs").resolve(run.id()).resolve("results.json");
            com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(Files.readString(results))
                    .getAsJsonObject();
            assertTrue(summary.getAsJsonObject("results").has("zero_shot_accuracy"), summary.toString());
            // the evaluator's text details are kept beside its metrics, under its identity
            com.google.gson.JsonObject details = summary.getAsJsonObject("details");
            assertEquals(1, details.size(), details.toString());
            String counted = details.entrySet().iterator().next().getValue().getAsJsonObject().get("counted").getAsString();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of (\\d+) correct").matcher(counted);
            assertTrue(m.matches(), counted);
            assertEquals(accuracy, Double.parseDouble(m.group(1)) / Double.parseDouble(m.group(2)), 1e-12, counted);
            RunEvent finished = h.of(RunEvent.Type.FINISHED).get(0);
            assertTrue(finished.message().contains("zero_shot_accuracy"), finished.message());
            String lineage = Files.readString(Files.walk(h.data.resolve("artifacts").resolve("captions"))
                    .filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow());
            assertTrue(lineage.contains("\"caption-generator/template@1.0.0\": {\n      \"test.property\": \"template\""), lineage);
        }
    }

    @Test
    void theSameSeedGivesTheSameShardsAndLossesAndACompletedPipelineIsNotRedone() throws Exception {
        String first;
        Map<String, String> humanA;
        Map<String, String> synthA;
        List<Double> lossesA;
        try (Harness a = new Harness(dir.resolve("a")).withPlugins()) {
            PipelineRun run = a.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)));
            first = run.id();
            humanA = shards(a.data, "human");
            synthA = shards(a.data, "images");
            lossesA = losses(a, run.id());
            int captionCalls = a.captioner.calls.get();
            PipelineRun again = a.start();
            assertEquals(RunState.FINISHED, again.await(Duration.ofMinutes(1)));
            assertNotEquals(first, again.id(), "a finished run is not resumed; a new one reuses its stages");
            assertEquals(captionCalls, a.captioner.calls.get(), "no caption was generated twice");
            assertTrue(a.of(RunEvent.Type.CHECKPOINT).size() == 3, "no training was redone");
        }
        try (Harness b = new Harness(dir.resolve("b")).withPlugins()) {
            PipelineRun run = b.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)));
            assertEquals(humanA, shards(b.data, "human"));
            assertEquals(synthA, shards(b.data, "images"));
            assertEquals(lossesA, losses(b, run.id()));
        }
    }

    @Test
    void aRunCancelledInTheImageStageAndAgainInTrainingResumesToTheSameResult() throws Exception {
        Map<String, String> synthetic;
        List<Double> uninterrupted;
        double accuracy;
        try (Harness reference = new Harness(dir.resolve("reference")).withPlugins()) {
            PipelineRun run = reference.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)));
            synthetic = shards(reference.data, "images");
            uninterrupted = losses(reference, run.id());
            accuracy = reference.store.latestMetrics(run.id()).get("zero_shot_accuracy");
        }
        try (Harness h = new Harness(dir.resolve("interrupted")).withPlugins()) {
            PipelineRun[] current = new PipelineRun[1];
            h.onEvent = e -> {
                if (e.type() == RunEvent.Type.PROGRESS && e.message().equals("images") && e.step() >= 1) {
                    current[0].cancel();
                }
            };
            current[0] = h.start();
            assertEquals(RunState.CANCELLED, current[0].await(Duration.ofMinutes(3)));
            String id = current[0].id();
            assertTrue(shards(h.data, "images").size() < synthetic.size(), "interrupted before all shards were written");

            h.onEvent = e -> {
                if (e.type() == RunEvent.Type.METRIC && e.step() == 30) {
                    current[0].cancel();
                }
            };
            current[0] = h.start();
            assertEquals(id, current[0].id(), "the same run resumes");
            assertEquals(RunState.CANCELLED, current[0].await(Duration.ofMinutes(3)));
            assertEquals(synthetic, shards(h.data, "images"), "no sample lost or duplicated");

            h.onEvent = e -> { };
            current[0] = h.start();
            assertEquals(id, current[0].id());
            assertEquals(RunState.FINISHED, current[0].await(Duration.ofMinutes(3)));
            List<RunEvent> events = h.store.events(id);
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i, events.get(i).sequence(), "event numbering continues across restarts");
            }
            List<Double> resumed = losses(h, id);
            assertEquals(uninterrupted.size(), resumed.size(), resumed.toString());
            for (int i = 0; i < resumed.size(); i++) {
                assertEquals(uninterrupted.get(i), resumed.get(i), 1e-5, "loss at report " + i);
            }
            assertEquals(accuracy, h.store.latestMetrics(id).get("zero_shot_accuracy"), 1e-9);
        }
    }

    @Test
    void aCaptionGeneratorSwappedMidStageServesTheRestWithNothingLostOrDuplicated() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            TestPlugins.Captioner second = new TestPlugins.Captioner("2.0.0");
            h.onEvent = e -> {
                if (e.type() == RunEvent.Type.PROGRESS && e.message().equals("captions") && e.step() == 1
                        && h.components.captioner.all().size() == 1) {
                    h.bind(h.components.captioner, second, "caption-generator", "template", "2.0.0");
                }
            };
            // Progress is reported at most twice a second; make the captioner slow enough to be swapped.
            h.config.put("captions_per_concept", 4);
            PipelineRun run = h.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)));
            List<RunEvent> swaps = h.of(RunEvent.Type.COMPONENT_SWAPPED);
            assertEquals(1, swaps.size(), h.events.toString());
            assertEquals("caption-generator/template@2.0.0", swaps.get(0).component());
            Path captions;
            try (Stream<Path> files = Files.walk(h.data.resolve("artifacts").resolve("captions"))) {
                captions = files.filter(p -> p.getFileName().toString().equals("captions.jsonl")).findFirst().orElseThrow();
            }
            List<String> lines = Files.readAllLines(captions);
            assertEquals(16, lines.size(), "4 concepts x 4 captions, none lost or duplicated");
            assertTrue(lines.get(0).contains("\"version\":\"1.0.0\""));
            assertTrue(lines.get(15).contains("\"version\":\"2.0.0\""));
            assertTrue(second.calls.get() >= 1 && second.calls.get() + h.captioner.calls.get() == 4);
        }
    }

    @Test
    void anotherCaptionerWithAHigherRankingTakesOverAtTheNextConceptAndALowerRankedOneDoesNot() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            TestPlugins.Captioner better = new TestPlugins.Captioner("3.0.0");
            TestPlugins.Captioner worse = new TestPlugins.Captioner("4.0.0");
            h.onEvent = e -> {
                // On the run thread, between two concepts; the template captioner stays installed.
                if (e.type() == RunEvent.Type.PROGRESS && e.message().equals("captions") && e.step() == 1
                        && h.components.captioner.all().size() == 1) {
                    h.bind(h.components.captioner, worse, "caption-generator", "worse", "4.0.0", -5);
                    h.bind(h.components.captioner, better, "caption-generator", "better", "3.0.0", 10);
                }
            };
            h.config.put("captions_per_concept", 4);
            PipelineRun run = h.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)));
            List<RunEvent> swaps = h.of(RunEvent.Type.COMPONENT_SWAPPED);
            assertEquals(1, swaps.size(), swaps.toString());
            assertEquals("caption generator: caption-generator/template@1.0.0 -> caption-generator/better@3.0.0",
                    swaps.get(0).message());
            assertEquals(1, swaps.get(0).step());
            assertEquals(1, h.captioner.calls.get(), "the template captioner served the first concept only");
            assertEquals(3, better.calls.get());
            assertEquals(0, worse.calls.get(), "a lower ranking never serves while a better one is there");
        }
    }

    @Test
    void anObjectiveSwappedMidTrainingIsOneEventNamingBothVersionsAndTrainsTheNextStep() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            h.config.put("captions_per_concept", 0);
            TestPlugins.InfoNce second = new TestPlugins.InfoNce();
            h.onEvent = e -> {
                // On the run thread, between two steps: the old version goes and the new one comes at once.
                if (e.type() == RunEvent.Type.METRIC && e.step() == 20 && h.components.objectives.all().get(0).version()
                        .equals("1.0.0")) {
                    long old = h.components.objectives.all().get(0).serviceId();
                    h.bind(h.components.objectives, second, "objective", "clip", "1.0.1");
                    h.components.objectives.unbind(old);
                }
            };
            PipelineRun run = h.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)), h.events.toString());
            List<RunEvent> swaps = h.of(RunEvent.Type.COMPONENT_SWAPPED);
            assertEquals(1, swaps.size(), swaps.toString());
            assertEquals("objective/clip@1.0.1", swaps.get(0).component());
            assertEquals("objective: objective/clip@1.0.0 -> objective/clip@1.0.1", swaps.get(0).message());
            assertEquals(20, swaps.get(0).step(), "the step after the last one reported");
            assertEquals(40, second.calls.get(), "the new version computed every step from 20 to 59");
        }
    }

    @Test
    void aMissingComponentPausesTheRunWithTheReasonUntilOneIsInstalled() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            h.components.generator.unbind(h.components.generator.current().serviceId());
            h.onEvent = e -> {
                if (e.type() == RunEvent.Type.PAUSED) {
                    new Thread(() -> h.bind(h.components.generator, new TestPlugins.Painter(), "image-generator", "painter",
                            "1.1.0")).start();
                }
            };
            PipelineRun run = h.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)));
            RunEvent paused = h.of(RunEvent.Type.PAUSED).get(0);
            assertTrue(paused.message().contains("waiting for the image generator (" + new PipelineSpec(Configs.of(
                    PipelineConfig.class, Map.of()), Map.of()).generatorTarget + "): none is registered"), paused.message());
            assertEquals(1, h.of(RunEvent.Type.RESUMED).size());
        }
    }

    @Test
    void aFailingPluginFailsTheRunNamingIt() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            h.captioner.fail = true;
            PipelineRun run = h.start();
            assertEquals(RunState.FAILED, run.await(Duration.ofMinutes(3)));
            RunEvent failed = h.of(RunEvent.Type.FAILED).get(0);
            assertEquals("caption-generator/template@1.0.0", failed.component());
            assertTrue(failed.message().contains("captioner 1.0.0 is broken"), failed.message());
            assertEquals(RunState.FAILED, h.store.run(run.id()).orElseThrow().state());
        }
    }

    @Test
    void withThePausePolicyAFailingPluginPausesTheRunAndAFixedOneResumesIt() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            h.config.put("on_component_error", "pause");
            h.objective.fail = true;
            PipelineRun[] current = new PipelineRun[1];
            h.onEvent = e -> {
                if (e.type() == RunEvent.Type.PAUSED) {
                    new Thread(() -> {
                        h.bind(h.components.objectives, new TestPlugins.InfoNce(), "objective", "clip", "1.0.1");
                        h.components.objectives.unbind(h.components.objectives.all().get(0).serviceId());
                        current[0].resume();
                    }).start();
                }
            };
            current[0] = h.start();
            assertEquals(RunState.FINISHED, current[0].await(Duration.ofMinutes(3)), h.events.toString());
            assertTrue(h.of(RunEvent.Type.PAUSED).get(0).message().contains("objective broken"));
            assertTrue(h.of(RunEvent.Type.COMPONENT_SWAPPED).stream().anyMatch(e -> e.component().contains("1.0.1")));
        }
    }

    @Test
    void epochsSetTheStepsAndEveryOptimizerTrains() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.config.put("epochs", 2.0);
            // 48 human samples, batches of 16 of which half are human: 6 steps per epoch
            assertEquals(12, h.spec().trainSteps);
        }
        for (String optimizer : new String[] {"adam", "sgd"}) {
            try (Harness h = new Harness(dir.resolve(optimizer)).withPlugins()) {
                h.config.put("optimizer", optimizer);
                h.config.put("learning_rate", optimizer.equals("sgd") ? 0.1 : 0.01);
                PipelineRun run = h.start();
                assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)), optimizer + ": " + h.events);
                List<Double> losses = losses(h, run.id());
                assertTrue(losses.get(losses.size() - 1) < losses.get(0), optimizer + " lowered the loss: " + losses);
            }
        }
    }

    @Test
    void aConfigurationThatCannotRunIsRejectedWithEveryProblem() {
        try (Harness h = new Harness(dir)) {
            h.config.put("batch_size", 0);
            h.config.put("synthetic_ratio", 1.5);
            h.config.put("resize_mode", "stretch");
            h.config.put("objective_weights", new String[] {"clip"});
            h.config.put("optimizer", "lbfgs");
            PipelineSpec spec = h.spec();
            assertEquals(5, spec.problems.size(), spec.problems.toString());
            assertTrue(String.join(";", spec.problems).contains("optimizer 'lbfgs' is not one of adamw, adam, sgd"));
            assertTrue(spec.problems.get(0).contains("batch.size must be positive"));
            assertTrue(String.join(";", spec.problems).contains("resize.mode"));
            assertTrue(String.join(";", spec.problems).contains("'clip' is not name=number"));
        }
    }

    @Test
    void anEvaluatorThatNeedsOutputsTheModelLacksIsSkippedNotFailed() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            java.util.concurrent.atomic.AtomicInteger called = new java.util.concurrent.atomic.AtomicInteger();
            h.bind(h.components.evaluators, new org.synthloom.api.train.Evaluator() {
                @Override
                public java.util.Set<String> requires() {
                    return java.util.Set.of(org.synthloom.api.model.Fields.CAPTION_LOGITS);
                }

                @Override
                public org.synthloom.api.train.EvaluationResult evaluate(org.synthloom.api.train.EvaluationContext c) {
                    called.incrementAndGet();
                    throw new IllegalStateException("no caption logits");
                }
            }, "evaluator", "captioning", "1.0.0");
            assertEquals(RunState.FINISHED, h.runToEnd(), String.valueOf(h.events));
            assertEquals(0, called.get());
            String manifest = Files.readString(Files.walk(h.data.resolve("artifacts").resolve("evaluate"))
                    .filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow());
            assertTrue(manifest.contains("evaluator/captioning@1.0.0 (needs caption_logits)"), manifest);
            assertTrue(manifest.contains("zero_shot_accuracy"), "the evaluator that applies ran: " + manifest);
        }
    }

    /** An evaluator's settings are part of the evaluation's address, as its version is; training is reused. */
    @Test
    void anEvaluatorWithOtherSettingsEvaluatesAgainWithoutRetraining() throws Exception {
        try (Harness h = new Harness(dir).withPlugins()) {
            assertEquals(RunState.FINISHED, h.runToEnd(), String.valueOf(h.events));
            int checkpoints = h.of(RunEvent.Type.CHECKPOINT).size();
            java.util.concurrent.atomic.AtomicInteger called = new java.util.concurrent.atomic.AtomicInteger();
            org.synthloom.api.train.Evaluator counting = c -> {
                called.incrementAndGet();
                return new TestPlugins.ZeroShot().evaluate(c);
            };
            h.components.evaluators.unbind(h.zeroShot);
            long same = h.bind(h.components.evaluators, counting, "evaluator", "zero-shot", "1.0.0", 0,
                    Map.of("test.property", "zero-shot"));
            assertEquals(RunState.FINISHED, h.runToEnd());
            assertEquals(0, called.get(), "same evaluator and settings: the evaluation is reused");

            h.components.evaluators.unbind(same);
            h.bind(h.components.evaluators, counting, "evaluator", "zero-shot", "1.0.0", 0,
                    Map.of("test.property", "zero-shot", "max.samples", 10));
            assertEquals(RunState.FINISHED, h.runToEnd());
            assertEquals(1, called.get(), "other settings: evaluated again");
            assertEquals(checkpoints, h.of(RunEvent.Type.CHECKPOINT).size(), "training was not redone");
            try (Stream<Path> manifests = Files.walk(h.data.resolve("artifacts").resolve("evaluate"))) {
                assertEquals(2, manifests.filter(p -> p.getFileName().toString().equals("manifest.json")).count());
            }
        }
    }
}
