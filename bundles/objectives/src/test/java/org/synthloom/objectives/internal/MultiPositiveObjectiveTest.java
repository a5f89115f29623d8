package org.synthloom.objectives.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
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
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** The multi-positive objective against the SynCLR/StableRep reference values, on the real engine. */
class MultiPositiveObjectiveTest {

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
    void agreesWithTheReferenceImageToTextLoss() throws IOException {
        MultiPositiveObjective objective = objective(false);
        double worst = 0;
        for (Vectors.Case c : Vectors.contrastive()) {
            try (NDManager step = manager.newSubManager()) {
                LossOutput out = objective.compute(Vectors.outputs(step, c.images(), c.texts(), c.scale()),
                        groups(step, c.labels()));
                assertEquals(new Shape(), out.loss().getShape());
                double expected = c.expected("multi_positive_loss");
                double loss = out.loss().getFloat();
                assertEquals(expected, loss, 1e-4, "multi_positive_loss of case " + c);
                worst = Math.max(worst, Math.abs(expected - loss));
                // Also against this test's own double-precision reading of the definition.
                assertEquals(multiPositive(Vectors.logits(c.images(), c.texts(), c.scale()), c.labels()), loss,
                        1e-4);
                assertEquals(List.of("i2t_accuracy", "positives", "logit_scale"), List.copyOf(out.metrics().keySet()));
                assertEquals(groupTop1(Vectors.logits(c.images(), c.texts(), 1), c.labels()),
                        out.metrics().get("i2t_accuracy").getFloat(), 1e-6);
                assertEquals(meanPositives(c.labels()), out.metrics().get("positives").getFloat(), 1e-6);
            }
        }
        System.out.printf(Locale.ROOT, "multi_positive_loss: 6 reference cases, largest difference %.2e%n", worst);
    }

    @Test
    void symmetricAveragesTheTextToImageDirection() throws IOException {
        MultiPositiveObjective objective = objective(true);
        for (Vectors.Case c : Vectors.contrastive()) {
            try (NDManager step = manager.newSubManager()) {
                LossOutput out = objective.compute(Vectors.outputs(step, c.images(), c.texts(), c.scale()),
                        groups(step, c.labels()));
                double[][] logits = Vectors.logits(c.images(), c.texts(), c.scale());
                double expected = (c.expected("multi_positive_loss") + multiPositive(Vectors.transpose(logits),
                        c.labels())) / 2;
                assertEquals(expected, out.loss().getFloat(), 1e-4, "symmetric loss of case " + c);
                assertEquals(groupTop1(Vectors.transpose(logits), c.labels()), out.metrics().get("t2i_accuracy").getFloat(),
                        1e-6);
            }
        }
    }

    /** All groups distinct: one positive per row, the CLIP loss (image-to-text half, or all of it when symmetric). */
    @Test
    void withDistinctGroupsItIsClipsLoss() throws IOException {
        ClipObjective clip = new ClipObjective();
        for (Vectors.Case c : Vectors.contrastive()) {
            int[] distinct = new int[c.labels().length];
            for (int i = 0; i < distinct.length; i++) {
                distinct[i] = 100 - 7 * i;
            }
            double[][] logits = Vectors.logits(c.images(), c.texts(), c.scale());
            double imageToText = 0;
            for (int i = 0; i < logits.length; i++) {
                imageToText -= Vectors.logSoftmax(logits[i])[i];
            }
            imageToText /= logits.length;
            try (NDManager step = manager.newSubManager()) {
                NDList outputs = Vectors.outputs(step, c.images(), c.texts(), c.scale());
                float oneWay = objective(false).compute(outputs, groups(step, distinct)).loss().getFloat();
                assertEquals(imageToText, oneWay, 1e-4, "image-to-text half of case " + c);
                float bothWays = objective(true).compute(outputs, groups(step, distinct)).loss().getFloat();
                assertEquals(clip.compute(outputs, new NDList()).loss().getFloat(), bothWays, 1e-5, "clip loss of case " + c);
            }
        }
    }

    @Test
    void theLossHasAGradientThatLowersIt() {
        float[][] images = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6f, 0.8f, 0}};
        float[][] texts = {{0, 1, 0}, {1, 0, 0}, {0, 0.6f, 0.8f}, {0.8f, 0.6f, 0}};
        try (NDManager step = manager.newSubManager()) {
            NDList outputs = Vectors.outputs(step, images, texts, 10f);
            NDArray imageEmbeds = outputs.get(Fields.IMAGE_EMBEDS);
            NDArray textEmbeds = outputs.get(Fields.TEXT_EMBEDS);
            imageEmbeds.setRequiresGradient(true);
            textEmbeds.setRequiresGradient(true);
            NDList batch = groups(step, new int[] {0, 0, 1, 2});
            MultiPositiveObjective objective = objective(true);
            float before;
            LossOutput out;
            try (GradientCollector collector = engine.newGradientCollector()) {
                out = objective.compute(outputs, batch);
                collector.backward(out.loss());
                before = out.loss().getFloat();
            }
            for (NDArray metric : out.metrics().values()) {
                assertFalse(metric.hasGradient(), "metrics are detached");
            }
            NDArray imagesAfter = Vectors.named(imageEmbeds.stopGradient().sub(imageEmbeds.getGradient().mul(0.01f)),
                    Fields.IMAGE_EMBEDS);
            NDArray textsAfter = Vectors.named(textEmbeds.stopGradient().sub(textEmbeds.getGradient().mul(0.01f)),
                    Fields.TEXT_EMBEDS);
            float after = objective.compute(new NDList(imagesAfter, textsAfter, outputs.get(Fields.LOGIT_SCALE)), batch)
                    .loss().getFloat();
            assertTrue(after < before, "loss " + before + " -> " + after);
        }
    }

    @Test
    void missingOrMisshapenGroupsAreNamed() {
        float[][] unit = {{1, 0}, {0, 1}};
        MultiPositiveObjective objective = objective(false);
        try (NDManager step = manager.newSubManager()) {
            NDList outputs = Vectors.outputs(step, unit, unit, 1f);
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> objective.compute(outputs, new NDList()));
            assertTrue(missing.getMessage().contains("'" + Fields.CAPTION_GROUPS + "'"), missing.getMessage());
            NDList three = groups(step, new int[] {0, 1, 2});
            assertThrows(IllegalArgumentException.class, () -> objective.compute(outputs, three));
            NDList floating = new NDList(Vectors.named(step.create(new float[] {0, 1}), Fields.CAPTION_GROUPS));
            assertThrows(IllegalArgumentException.class, () -> objective.compute(outputs, floating));
            NDList noScale = new NDList(outputs.get(Fields.IMAGE_EMBEDS), outputs.get(Fields.TEXT_EMBEDS));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> objective.compute(noScale, groups(step, new int[] {0, 1})));
            assertTrue(e.getMessage().contains("'" + Fields.LOGIT_SCALE + "'"), e.getMessage());
            // Groups passed through by the model are read from the outputs. Two texts scoring
            // alike, both positives: the cross-entropy against the uniform target is log 2.
            float[][] same = {{1, 0}, {1, 0}};
            NDList withGroups = Vectors.outputs(step, same, same, 1f);
            withGroups.add(groups(step, new int[] {3, 3}).get(0));
            assertEquals((float) Math.log(2), objective.compute(withGroups, new NDList()).loss().getFloat(), 1e-6);
        }
    }

    private static MultiPositiveObjective objective(boolean symmetric) {
        return new MultiPositiveObjective(Configs.of(MultiPositiveConfig.class, Map.of("symmetric", symmetric)));
    }

    private static NDList groups(NDManager m, int[] labels) {
        return new NDList(Vectors.named(m.create(labels), Fields.CAPTION_GROUPS));
    }

    /** -mean_i sum_j p_ij log softmax(row i)_j, p spread evenly over the row's group, in double precision. */
    private static double multiPositive(double[][] logits, int[] groups) {
        double loss = 0;
        for (int i = 0; i < logits.length; i++) {
            double[] logp = Vectors.logSoftmax(logits[i]);
            int positives = 0;
            double sum = 0;
            for (int j = 0; j < logits.length; j++) {
                if (groups[j] == groups[i]) {
                    positives++;
                    sum += logp[j];
                }
            }
            loss -= sum / positives;
        }
        return loss / logits.length;
    }

    private static double groupTop1(double[][] scores, int[] groups) {
        int hits = 0;
        for (int i = 0; i < scores.length; i++) {
            hits += groups[Vectors.argMax(scores[i])] == groups[i] ? 1 : 0;
        }
        return hits / (double) scores.length;
    }

    private static double meanPositives(int[] groups) {
        int sum = 0;
        for (int g : groups) {
            for (int h : groups) {
                sum += g == h ? 1 : 0;
            }
        }
        return sum / (double) groups.length;
    }
}
