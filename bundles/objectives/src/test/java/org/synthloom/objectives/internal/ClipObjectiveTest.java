package org.synthloom.objectives.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** The clip objective against OpenCLIP's reference values, on the real PyTorch engine. */
class ClipObjectiveTest {

    private final ClipObjective objective = new ClipObjective();
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

    /** Every {@code contrastive[]} entry: loss to 1e-4, accuracies as counted here in double precision. */
    @Test
    void agreesWithOpenClipClipLossOnTheReferenceVectors() throws IOException {
        List<Vectors.Case> cases = Vectors.contrastive();
        assertEquals(6, cases.size());
        double worst = 0;
        for (Vectors.Case c : cases) {
            try (NDManager step = manager.newSubManager()) {
                LossOutput out = objective.compute(Vectors.outputs(step, c.images(), c.texts(), c.scale()), new NDList());
                assertEquals(new Shape(), out.loss().getShape());
                double loss = out.loss().getFloat();
                double expected = c.expected("clip_loss");
                assertEquals(expected, loss, 1e-4, "clip_loss of case " + c);
                worst = Math.max(worst, Math.abs(expected - loss));
                assertEquals(List.of("i2t_accuracy", "t2i_accuracy", "logit_scale"), List.copyOf(out.metrics().keySet()));
                double[][] logits = Vectors.logits(c.images(), c.texts(), 1);
                assertEquals(top1(logits), out.metrics().get("i2t_accuracy").getFloat(), 1e-6);
                assertEquals(top1(Vectors.transpose(logits)), out.metrics().get("t2i_accuracy").getFloat(), 1e-6);
                assertEquals(c.scale(), out.metrics().get("logit_scale").getFloat(), 0f);
                for (NDArray metric : out.metrics().values()) {
                    assertEquals(new Shape(), metric.getShape());
                }
            }
        }
        System.out.printf(Locale.ROOT, "clip_loss: 6 reference cases, largest difference %.2e%n", worst);
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
            float before;
            LossOutput out;
            try (GradientCollector collector = engine.newGradientCollector()) {
                out = objective.compute(outputs, new NDList());
                collector.backward(out.loss());
                before = out.loss().getFloat();
            }
            for (NDArray metric : out.metrics().values()) {
                assertFalse(metric.hasGradient(), "metrics are detached");
            }
            NDArray imageGradient = imageEmbeds.getGradient();
            NDArray textGradient = textEmbeds.getGradient();
            assertTrue(imageGradient.abs().sum().getFloat() > 1e-3f, "image gradient " + imageGradient);
            assertTrue(textGradient.abs().sum().getFloat() > 1e-3f, "text gradient " + textGradient);
            // A small step against the gradient lowers the loss: the gradient has the right sign.
            NDArray imagesAfter = Vectors.named(imageEmbeds.stopGradient().sub(imageGradient.mul(0.01f)), Fields.IMAGE_EMBEDS);
            NDArray textsAfter = Vectors.named(textEmbeds.stopGradient().sub(textGradient.mul(0.01f)), Fields.TEXT_EMBEDS);
            float after = objective.compute(new NDList(imagesAfter, textsAfter, outputs.get(Fields.LOGIT_SCALE)),
                    new NDList()).loss().getFloat();
            assertTrue(after < before, "loss " + before + " -> " + after);
        }
    }

    @Test
    void aMissingOutputIsNamed() {
        float[][] unit = {{1, 0}, {0, 1}};
        try (NDManager step = manager.newSubManager()) {
            NDList full = Vectors.outputs(step, unit, unit, 1f);
            for (String missing : objective.requires()) {
                NDList partial = new NDList();
                full.stream().filter(a -> !a.getName().equals(missing)).forEach(partial::add);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> objective.compute(partial, new NDList()));
                assertTrue(e.getMessage().contains("'" + missing + "'"), e.getMessage());
            }
            NDArray wide = Vectors.named(step.zeros(new Shape(2, 3)), Fields.TEXT_EMBEDS);
            NDList mismatched = new NDList(full.get(Fields.IMAGE_EMBEDS), wide, full.get(Fields.LOGIT_SCALE));
            assertThrows(IllegalArgumentException.class, () -> objective.compute(mismatched, new NDList()));
        }
        assertEquals(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE), List.copyOf(objective.requires()));
    }

    /** Fraction of rows whose largest entry (lowest index on a tie) is on the diagonal. */
    static double top1(double[][] scores) {
        int hits = 0;
        for (int i = 0; i < scores.length; i++) {
            hits += Vectors.argMax(scores[i]) == i ? 1 : 0;
        }
        return hits / (double) scores.length;
    }
}
