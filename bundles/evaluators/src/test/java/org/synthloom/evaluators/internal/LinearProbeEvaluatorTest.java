package org.synthloom.evaluators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Sample;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.testkit.Configs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

class LinearProbeEvaluatorTest {

    private static final List<String> CLASSES = List.of("red", "green", "blue", "yellow");
    private static final int D = 8;

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * Class {@code c} embeds near {@code 2 e_c} with Gaussian noise of deviation 0.5 in every one
     * of 8 dimensions: linearly separable up to a few stragglers.
     */
    @Test
    void separableClassesAreLearned() throws Exception {
        ProbeContext.Embedder clustered = (label, random) -> {
            float[] v = gaussian(random, 0.5);
            v[label] += 2;
            return v;
        };
        List<Sample> train = new ArrayList<>(ProbeContext.samples("train", 200, CLASSES, 1, clustered));
        train.add(ProbeContext.sample("unlabelled", null, new float[D]));
        train.add(ProbeContext.sample("purple", "purple", new float[D]));
        ProbeContext context = new ProbeContext(manager, CLASSES,
                Map.of("train", train, "test", ProbeContext.samples("test", 200, CLASSES, 2, clustered)));
        EvaluationResult result = evaluator(Map.of("batch.size", 64)).evaluate(context);
        double accuracy = result.metrics().get("linear_probe_accuracy");
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        assertTrue(result.metrics().get("linear_probe_train_accuracy") > 0.95);
        assertEquals(200.0, result.metrics().get("linear_probe_samples"));
        assertEquals(200.0, result.metrics().get("linear_probe_train_samples"));
        assertEquals(2.0, result.metrics().get("linear_probe_skipped"));
        assertEquals(0.25, result.metrics().get("chance"));
        assertEquals(List.of("train", "test"), context.splits);
        assertTrue(result.details().get("per_class_accuracy").startsWith("red "), result.details().toString());
        assertEquals(List.of(), manager.getManagedArrays(), "everything is freed");
        System.out.printf(Locale.ROOT, "linear probe, separable: %s %s%n", result.metrics(), result.details());
    }

    /** Embeddings that say nothing of the label: the probe fits the training noise and stays near chance. */
    @Test
    void randomEmbeddingsStayNearChance() throws Exception {
        ProbeContext.Embedder noise = (label, random) -> gaussian(random, 1);
        ProbeContext context = new ProbeContext(manager, CLASSES,
                Map.of("train", ProbeContext.samples("train", 200, CLASSES, 3, noise),
                        "test", ProbeContext.samples("test", 400, CLASSES, 4, noise)));
        EvaluationResult result = evaluator(Map.of()).evaluate(context);
        double accuracy = result.metrics().get("linear_probe_accuracy");
        // 400 test samples: chance 0.25 with a standard deviation of about 0.022.
        assertTrue(Math.abs(accuracy - 0.25) < 0.08, "accuracy " + accuracy);
        assertTrue(result.metrics().get("linear_probe_train_accuracy") > accuracy, "it fits the training noise");
        System.out.printf(Locale.ROOT, "linear probe, random: %s%n", result.metrics());
    }

    @Test
    void theFitIsDeterministicAndTheLimitsAreHonoured() throws Exception {
        ProbeContext.Embedder noisy = (label, random) -> {
            float[] v = gaussian(random, 1);
            v[label] += 1;
            return v;
        };
        Map<String, List<Sample>> splits = Map.of("train", ProbeContext.samples("train", 300, CLASSES, 5, noisy),
                "val", ProbeContext.samples("val", 100, CLASSES, 6, noisy));
        Map<String, Object> config = Map.of("max.train.samples", 120, "max.samples", 50, "split", "val");
        EvaluationResult first = evaluator(config).evaluate(new ProbeContext(manager, CLASSES, splits));
        EvaluationResult second = evaluator(config).evaluate(new ProbeContext(manager, CLASSES, splits));
        assertEquals(first.metrics(), second.metrics());
        assertEquals(first.details(), second.details());
        assertEquals(120.0, first.metrics().get("linear_probe_train_samples"));
        assertEquals(50.0, first.metrics().get("linear_probe_samples"));
    }

    @Test
    void missingDataAndBadConfigurationAreReported() throws Exception {
        ProbeContext unlabelled = new ProbeContext(manager, List.of(), Map.of());
        assertThrows(IllegalStateException.class, () -> evaluator(Map.of()).evaluate(unlabelled));

        ProbeContext noTraining = new ProbeContext(manager, CLASSES,
                Map.of("test", List.of(ProbeContext.sample("t", "red", new float[] {1, 0}))));
        EvaluationResult result = evaluator(Map.of()).evaluate(noTraining);
        assertFalse(result.metrics().containsKey("linear_probe_accuracy"));
        assertEquals(0.0, result.metrics().get("linear_probe_train_samples"));
        assertEquals("no labelled sample in split 'train'", result.details().get("linear_probe"));

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("iterations", 0), Map.of("learning.rate", 0.0),
                Map.of("l2", -1.0), Map.of("max.train.samples", 0), Map.of("train.split", ""))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluator(bad));
            assertTrue(e.getMessage().contains(LinearProbeEvaluator.PID), e.getMessage());
        }
    }

    /** {@code D} independent Gaussian values of deviation {@code sd}. */
    private static float[] gaussian(Random random, double sd) {
        float[] v = new float[D];
        for (int d = 0; d < D; d++) {
            v[d] = (float) (random.nextGaussian() * sd);
        }
        return v;
    }

    private static LinearProbeEvaluator evaluator(Map<String, Object> config) {
        return new LinearProbeEvaluator(Configs.of(LinearProbeConfig.class, config));
    }
}
