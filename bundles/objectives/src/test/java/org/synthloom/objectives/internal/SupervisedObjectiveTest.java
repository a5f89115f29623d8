package org.synthloom.objectives.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

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

/** The supervised objective against a case worked out in plain double arithmetic, and learning, on the real engine. */
class SupervisedObjectiveTest {

    /** Logits (4, 3); sample 2 is unlabelled. */
    private static final float[][] LOGITS = {{2.0f, 0.5f, -1.0f}, {0.1f, 0.2f, 3.0f}, {9.0f, -9.0f, 0.0f},
        {-2.0f, 4.0f, 0.5f}};
    private static final int[] LABELS = {0, 1, -1, 1};

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static SupervisedObjective objective(double smoothing) {
        return new SupervisedObjective(Configs.of(SupervisedConfig.class, Map.of("label_smoothing", smoothing)));
    }

    private static NDList outputs(NDArray logits) {
        logits.setName("class_logits");
        return new NDList(logits);
    }

    private static NDList batch(NDManager m, int[] labels) {
        NDArray array = m.create(labels);
        array.setName(Fields.LABELS);
        return new NDList(array);
    }

    private static NDArray logits(NDManager m) {
        float[] flat = new float[12];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(LOGITS[i], 0, flat, i * 3, 3);
        }
        return m.create(flat, new Shape(4, 3));
    }

    /** By hand: the mean over labelled rows of (1 - e) (-log p_y) + e mean_c(-log p_c). */
    private static double expected(double smoothing) {
        double total = 0;
        int count = 0;
        for (int i = 0; i < 4; i++) {
            if (LABELS[i] < 0) {
                continue;
            }
            double max = Math.max(LOGITS[i][0], Math.max(LOGITS[i][1], LOGITS[i][2]));
            double sum = 0;
            for (float z : LOGITS[i]) {
                sum += Math.exp(z - max);
            }
            double logZ = max + Math.log(sum);
            double meanNll = 0;
            for (float z : LOGITS[i]) {
                meanNll += (logZ - z) / 3;
            }
            total += (1 - smoothing) * (logZ - LOGITS[i][LABELS[i]]) + smoothing * meanNll;
            count++;
        }
        return total / count;
    }

    @Test
    void theLossIsTheMeanCrossEntropyOverLabelledSamples() {
        assertEquals(Set.of("class_logits", Fields.LABELS), objective(0).requires());
        for (double smoothing : new double[] {0, 0.1, 0.5}) {
            try (NDManager m = manager.newSubManager()) {
                LossOutput out = objective(smoothing).compute(outputs(logits(m)), batch(m, LABELS));
                assertEquals(new Shape(), out.loss().getShape());
                assertEquals(expected(smoothing), out.loss().getFloat(), 1e-5, "smoothing " + smoothing);
                // Argmax: 0 (label 0, hit), 2 (label 1, miss), 1 (label 1, hit); the unlabelled row is not counted.
                assertEquals(2f / 3f, out.metrics().get("accuracy").getFloat(), 1e-6f);
                assertEquals(3f, out.metrics().get("labelled").getFloat(), 0f);
            }
        }
    }

    @Test
    void theGradientIsSoftmaxMinusOneHotOverLabelledRowsAndZeroElsewhere() {
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = logits(m);
            logits.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(objective(0).compute(outputs(logits), batch(m, LABELS)).loss());
            }
            float[] gradient = logits.getGradient().toFloatArray();
            for (int i = 0; i < 4; i++) {
                double sum = 0;
                for (float z : LOGITS[i]) {
                    sum += Math.exp(z);
                }
                for (int c = 0; c < 3; c++) {
                    double expected = LABELS[i] < 0 ? 0 : (Math.exp(LOGITS[i][c]) / sum - (c == LABELS[i] ? 1 : 0)) / 3;
                    assertEquals(expected, gradient[i * 3 + c], 1e-6, "d loss / d logit " + i + ", " + c);
                }
            }
        }
    }

    @Test
    void aBatchWithoutLabelsCostsNothing() {
        try (NDManager m = manager.newSubManager()) {
            LossOutput out = objective(0).compute(outputs(logits(m)), batch(m, new int[] {-1, -1, -1, -1}));
            assertEquals(0f, out.loss().getFloat(), 0f);
            assertEquals(0f, out.metrics().get("labelled").getFloat(), 0f);
        }
    }

    @Test
    void badInputIsNamed() {
        try (NDManager m = manager.newSubManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> objective(0).compute(new NDList(), batch(m, LABELS)));
            assertTrue(e.getMessage().contains("class_logits"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> objective(0).compute(outputs(logits(m)), new NDList()));
            assertTrue(e.getMessage().contains(Fields.LABELS), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> objective(0).compute(outputs(logits(m)), batch(m, new int[] {0, 1, 2})));
            assertTrue(e.getMessage().contains("(4, 3)") && e.getMessage().contains("(3)"), e.getMessage());
            NDArray floating = m.create(new float[] {0, 1, 0, 1});
            floating.setName(Fields.LABELS);
            e = assertThrows(IllegalArgumentException.class,
                    () -> objective(0).compute(outputs(logits(m)), new NDList(floating)));
            assertTrue(e.getMessage().contains("integer"), e.getMessage());
        }
        for (double bad : new double[] {-0.1, 1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> objective(bad));
            assertTrue(e.getMessage().contains(SupervisedObjective.PID) && e.getMessage().contains("label.smoothing"),
                    e.getMessage());
        }
    }

    /**
     * Learning: a linear classifier (weights and bias as the objective's only inputs) on four
     * Gaussian blobs in 8 dimensions, 100 steps of gradient descent on the objective's loss, then
     * accuracy on fresh samples well above the chance of 0.25.
     */
    @Test
    void aLinearClassifierLearnsFromIt() {
        int d = 8;
        int classes = 4;
        SplittableRandom random = new SplittableRandom(5);
        float[] centres = new float[classes * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) gaussian(random);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray w = m.zeros(new Shape(d, classes));
            NDArray b = m.zeros(new Shape(classes));
            SupervisedObjective objective = objective(0);
            double before = accuracy(m, w, b, centres, new SplittableRandom(77));
            float first = 0;
            float last = 0;
            for (int step = 0; step < 100; step++) {
                try (NDManager s = m.newSubManager()) {
                    w.setRequiresGradient(true);
                    b.setRequiresGradient(true);
                    Blobs blobs = blobs(s, centres, random, 32);
                    float loss;
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray out = objective.compute(outputs(blobs.x().matMul(w).add(b)), batch(s, blobs.labels()))
                                .loss();
                        collector.backward(out);
                        loss = out.getFloat();
                    }
                    first = step == 0 ? loss : first;
                    last = loss;
                    NDArray nw = w.sub(w.getGradient().mul(0.5f)).stopGradient();
                    NDArray nb = b.sub(b.getGradient().mul(0.5f)).stopGradient();
                    nw.attach(m);
                    nb.attach(m);
                    w = nw;
                    b = nb;
                }
            }
            double after = accuracy(m, w, b, centres, new SplittableRandom(77));
            System.out.printf(Locale.ROOT, "supervised toy task: accuracy %.3f -> %.3f (chance 0.25), loss %.3f -> %.3f%n",
                    before, after, first, last);
            assertTrue(after >= 0.8, "accuracy " + before + " -> " + after);
            assertTrue(last < first * 0.6, "loss " + first + " -> " + last);
        }
    }

    private record Blobs(NDArray x, int[] labels) {}

    /** Points around the class centres with unit-variance noise scaled by 0.5. */
    private static Blobs blobs(NDManager m, float[] centres, SplittableRandom random, int n) {
        int d = 8;
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(4);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[labels[i] * d + j] + 0.5f * (float) gaussian(random);
            }
        }
        return new Blobs(m.create(x, new Shape(n, d)), labels);
    }

    private static double accuracy(NDManager m, NDArray w, NDArray b, float[] centres, SplittableRandom random) {
        try (NDManager s = m.newSubManager()) {
            Blobs blobs = blobs(s, centres, random, 200);
            long[] predicted = blobs.x().matMul(w).add(b).argMax(1).toType(DataType.INT64, false).toLongArray();
            int hits = 0;
            for (int i = 0; i < predicted.length; i++) {
                hits += predicted[i] == blobs.labels()[i] ? 1 : 0;
            }
            return hits / (double) predicted.length;
        }
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
