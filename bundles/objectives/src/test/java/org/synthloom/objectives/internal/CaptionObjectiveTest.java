package org.synthloom.objectives.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.testkit.Configs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * The caption objective against a small case worked out here in plain double arithmetic, on the
 * real engine.
 */
class CaptionObjectiveTest {

    private static final int B = 2;
    private static final int T = 3;
    private static final int V = 4;

    /** Logits (B, T, V). */
    private static final float[][][] LOGITS = {
        {{2.0f, 0.5f, -1.0f, 0.0f}, {0.1f, 0.2f, 3.0f, -0.5f}, {1.0f, 1.0f, 1.0f, 1.0f}},
        {{-2.0f, 4.0f, 0.5f, 0.5f}, {0.0f, -1.0f, 0.3f, 2.5f}, {5.0f, -3.0f, 0.0f, 1.0f}},
    };
    /** Targets: four positions count; (0, 2) and (1, 2) come after the end token. */
    private static final long[][] TARGETS = {{0, 3, -1}, {1, 3, -1}};

    private Engine engine;
    private NDManager manager;

    @BeforeEach
    void engine() {
        engine = Engine.getEngine("PyTorch");
        manager = engine.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void theLossAndMetricsAreTheMeanCrossEntropyOverCountedPositions() {
        for (double smoothing : new double[] {0, 0.1, 0.5}) {
            try (NDManager step = manager.newSubManager()) {
                LossOutput out = objective(smoothing).compute(outputs(step, LOGITS, TARGETS), new NDList());
                assertEquals(new Shape(), out.loss().getShape());
                assertEquals(expectedLoss(LOGITS, TARGETS, smoothing), out.loss().getFloat(), 1e-5, "smoothing " + smoothing);
                assertEquals(List.of("token_accuracy", "perplexity", "caption_tokens"), List.copyOf(out.metrics().keySet()));
                // Hits: (0,0) argmax 0 = 0, (0,1) 2 != 3, (1,0) 1 = 1, (1,1) 3 = 3: 3 of 4.
                assertEquals(0.75f, out.metrics().get("token_accuracy").getFloat(), 1e-6f);
                assertEquals(Math.exp(expectedLoss(LOGITS, TARGETS, 0)), out.metrics().get("perplexity").getFloat(), 1e-4);
                assertEquals(4f, out.metrics().get("caption_tokens").getFloat(), 0f);
                for (NDArray metric : out.metrics().values()) {
                    assertEquals(new Shape(), metric.getShape());
                }
            }
        }
    }

    @Test
    void theGradientIsSoftmaxMinusTargetOverCountedPositionsAndZeroWhereIgnored() {
        for (double smoothing : new double[] {0, 0.2}) {
            try (NDManager step = manager.newSubManager()) {
                float[] gradient = gradient(step, LOGITS, smoothing);
                for (int b = 0; b < B; b++) {
                    for (int t = 0; t < T; t++) {
                        double[] softmax = softmax(LOGITS[b][t]);
                        for (int v = 0; v < V; v++) {
                            double expected = 0;
                            if (TARGETS[b][t] >= 0) {
                                double target = (1 - smoothing) * (v == TARGETS[b][t] ? 1 : 0) + smoothing / V;
                                expected = (softmax[v] - target) / 4;
                            }
                            assertEquals(expected, gradient[(b * T + t) * V + v], 1e-6,
                                    "d loss / d logits[" + b + "][" + t + "][" + v + "], smoothing " + smoothing);
                        }
                    }
                }
            }
        }
    }

    @Test
    void ignoredPositionsChangeNeitherTheLossNorTheGradients() {
        float[][][] changed = new float[B][T][];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                changed[b][t] = LOGITS[b][t].clone();
                if (TARGETS[b][t] < 0) {
                    for (int v = 0; v < V; v++) {
                        changed[b][t][v] = 50f * (v - 1.5f) * (b + 1);
                    }
                }
            }
        }
        try (NDManager step = manager.newSubManager()) {
            CaptionObjective objective = objective(0.1);
            float before = objective.compute(outputs(step, LOGITS, TARGETS), new NDList()).loss().getFloat();
            float after = objective.compute(outputs(step, changed, TARGETS), new NDList()).loss().getFloat();
            assertEquals(before, after, 0f);
            assertArrayEquals(gradient(step, LOGITS, 0.1), gradient(step, changed, 0.1), 0f);
        }
    }

    @Test
    void targetsMayComeFromTheBatchAsInt32AndAnEmptyBatchCostsNothing() {
        try (NDManager step = manager.newSubManager()) {
            NDList outputs = outputs(step, LOGITS, TARGETS);
            NDArray targets = outputs.get(Fields.CAPTION_TARGETS).toType(DataType.INT32, false);
            NDList logitsOnly = new NDList(outputs.get(Fields.CAPTION_LOGITS));
            float fromBatch = objective(0).compute(logitsOnly, new NDList(Vectors.named(targets, Fields.CAPTION_TARGETS)))
                    .loss().getFloat();
            assertEquals(expectedLoss(LOGITS, TARGETS, 0), fromBatch, 1e-5);

            long[][] none = {{-1, -1, -1}, {-1, -1, -1}};
            LossOutput empty = objective(0).compute(outputs(step, LOGITS, none), new NDList());
            assertEquals(0f, empty.loss().getFloat(), 0f);
            assertEquals(1f, empty.metrics().get("perplexity").getFloat(), 0f);
            assertEquals(0f, empty.metrics().get("token_accuracy").getFloat(), 0f);
        }
    }

    @Test
    void badInputAndConfigurationAreRejectedWithTheirNames() {
        try (NDManager step = manager.newSubManager()) {
            NDList outputs = outputs(step, LOGITS, TARGETS);
            CaptionObjective objective = objective(0);
            IllegalArgumentException noTargets = assertThrows(IllegalArgumentException.class,
                    () -> objective.compute(new NDList(outputs.get(Fields.CAPTION_LOGITS)), new NDList()));
            assertTrue(noTargets.getMessage().contains("'" + Fields.CAPTION_TARGETS + "'"), noTargets.getMessage());
            IllegalArgumentException noLogits = assertThrows(IllegalArgumentException.class,
                    () -> objective.compute(new NDList(outputs.get(Fields.CAPTION_TARGETS)), new NDList()));
            assertTrue(noLogits.getMessage().contains("'" + Fields.CAPTION_LOGITS + "'"), noLogits.getMessage());
            NDArray shortTargets = Vectors.named(step.create(new long[] {0, 1}, new Shape(1, 2)), Fields.CAPTION_TARGETS);
            assertThrows(IllegalArgumentException.class,
                    () -> objective.compute(new NDList(outputs.get(Fields.CAPTION_LOGITS), shortTargets), new NDList()));
        }
        for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> objective(bad));
            assertTrue(e.getMessage().contains(CaptionObjective.PID) && e.getMessage().contains("label.smoothing"),
                    e.getMessage());
        }
        assertEquals(List.of(Fields.CAPTION_LOGITS, Fields.CAPTION_TARGETS), List.copyOf(objective(0).requires()));
    }

    private float[] gradient(NDManager step, float[][][] logits, double smoothing) {
        NDList outputs = outputs(step, logits, TARGETS);
        NDArray array = outputs.get(Fields.CAPTION_LOGITS);
        array.setRequiresGradient(true);
        try (GradientCollector collector = engine.newGradientCollector()) {
            LossOutput out = objective(smoothing).compute(outputs, new NDList());
            collector.backward(out.loss());
            for (NDArray metric : out.metrics().values()) {
                assertFalse(metric.hasGradient(), "metrics are detached");
            }
        }
        return array.getGradient().toFloatArray();
    }

    /** Per counted position: (1 - e) (lse - z_target) + e mean_v (lse - z_v); averaged. */
    private static double expectedLoss(float[][][] logits, long[][] targets, double smoothing) {
        double sum = 0;
        int count = 0;
        for (int b = 0; b < logits.length; b++) {
            for (int t = 0; t < logits[b].length; t++) {
                if (targets[b][t] < 0) {
                    continue;
                }
                float[] z = logits[b][t];
                double lse = 0;
                for (float x : z) {
                    lse += Math.exp(x);
                }
                lse = Math.log(lse);
                double uniform = 0;
                for (float x : z) {
                    uniform += (lse - x) / z.length;
                }
                sum += (1 - smoothing) * (lse - z[(int) targets[b][t]]) + smoothing * uniform;
                count++;
            }
        }
        return sum / count;
    }

    private static double[] softmax(float[] z) {
        double total = 0;
        double[] p = new double[z.length];
        for (int v = 0; v < z.length; v++) {
            p[v] = Math.exp(z[v]);
            total += p[v];
        }
        for (int v = 0; v < z.length; v++) {
            p[v] /= total;
        }
        return p;
    }

    private static CaptionObjective objective(double smoothing) {
        return new CaptionObjective(Configs.of(CaptionConfig.class, Map.of("label.smoothing", smoothing)));
    }

    private static NDList outputs(NDManager m, float[][][] logits, long[][] targets) {
        float[] flat = new float[B * T * V];
        long[] flatTargets = new long[B * T];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                System.arraycopy(logits[b][t], 0, flat, (b * T + t) * V, V);
                flatTargets[b * T + t] = targets[b][t];
            }
        }
        return new NDList(Vectors.named(m.create(flatTargets, new Shape(B, T)), Fields.CAPTION_TARGETS),
                Vectors.named(m.create(flat, new Shape(B, T, V)), Fields.CAPTION_LOGITS));
    }
}
