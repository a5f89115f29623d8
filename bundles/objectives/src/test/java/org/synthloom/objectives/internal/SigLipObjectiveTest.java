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

/** The siglip objective against OpenCLIP's {@code SigLipLoss} reference values, on the real engine. */
class SigLipObjectiveTest {

    private final SigLipObjective objective = new SigLipObjective();
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
    void agreesWithOpenClipSigLipLossOnTheReferenceVectors() throws IOException {
        double worst = 0;
        for (Vectors.Case c : Vectors.contrastive()) {
            try (NDManager step = manager.newSubManager()) {
                LossOutput out = objective.compute(outputs(step, c.images(), c.texts(), c.scale(), c.bias()), new NDList());
                assertEquals(new Shape(), out.loss().getShape());
                double expected = c.expected("siglip_loss");
                double loss = out.loss().getFloat();
                assertEquals(expected, loss, 1e-4, "siglip_loss of case " + c);
                worst = Math.max(worst, Math.abs(expected - loss));
                assertEquals(List.of("i2t_accuracy", "t2i_accuracy", "logit_scale", "logit_bias"),
                        List.copyOf(out.metrics().keySet()));
                double[][] logits = Vectors.logits(c.images(), c.texts(), 1);
                assertEquals(ClipObjectiveTest.top1(logits), out.metrics().get("i2t_accuracy").getFloat(), 1e-6);
                assertEquals(ClipObjectiveTest.top1(Vectors.transpose(logits)), out.metrics().get("t2i_accuracy").getFloat(),
                        1e-6);
                assertEquals(c.scale(), out.metrics().get("logit_scale").getFloat(), 0f);
                assertEquals(c.bias(), out.metrics().get("logit_bias").getFloat(), 0f);
            }
        }
        System.out.printf(Locale.ROOT, "siglip_loss: 6 reference cases, largest difference %.2e%n", worst);
    }

    /** Logits up to 160, where exp overflows float32: the loss stays finite and exact. */
    @Test
    void largeLogitsStayFiniteAndMatchDoublePrecision() {
        float[][] images = {{1, 0}, {0, 1}, {0.6f, 0.8f}};
        float[][] texts = {{0, 1}, {1, 0}, {0.6f, 0.8f}};
        float scale = 100f;
        float bias = 60f;
        double[][] logits = Vectors.logits(images, texts, scale);
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double z = (i == j ? 1 : -1) * (logits[i][j] + bias);
                expected += Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
            }
        }
        expected /= 3;
        try (NDManager step = manager.newSubManager()) {
            float loss = objective.compute(outputs(step, images, texts, scale, bias), new NDList()).loss().getFloat();
            assertEquals(expected, loss, 1e-4 * expected);
        }
    }

    @Test
    void theLossHasAGradientForEmbeddingsScaleAndBiasThatLowersIt() {
        float[][] images = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6f, 0.8f, 0}};
        float[][] texts = {{0, 1, 0}, {1, 0, 0}, {0, 0.6f, 0.8f}, {0.8f, 0.6f, 0}};
        try (NDManager step = manager.newSubManager()) {
            NDList outputs = outputs(step, images, texts, 10f, -5f);
            for (NDArray array : outputs) {
                array.setRequiresGradient(true);
            }
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
            NDList after = new NDList();
            for (NDArray array : outputs) {
                NDArray gradient = array.getGradient();
                assertTrue(gradient.abs().sum().getFloat() > 1e-4f, array.getName() + " gradient " + gradient);
                after.add(Vectors.named(array.stopGradient().sub(gradient.mul(0.001f)), array.getName()));
            }
            float lowered = objective.compute(after, new NDList()).loss().getFloat();
            assertTrue(lowered < before, "loss " + before + " -> " + lowered);
        }
    }

    @Test
    void aMissingOutputIsNamed() {
        float[][] unit = {{1, 0}, {0, 1}};
        try (NDManager step = manager.newSubManager()) {
            NDList full = outputs(step, unit, unit, 1f, 0f);
            for (String missing : objective.requires()) {
                NDList partial = new NDList();
                full.stream().filter(a -> !a.getName().equals(missing)).forEach(partial::add);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> objective.compute(partial, new NDList()));
                assertTrue(e.getMessage().contains("'" + missing + "'"), e.getMessage());
            }
            NDList vectorBias = new NDList(full.get(Fields.IMAGE_EMBEDS), full.get(Fields.TEXT_EMBEDS),
                    full.get(Fields.LOGIT_SCALE), Vectors.named(step.zeros(new Shape(2)), Fields.LOGIT_BIAS));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> objective.compute(vectorBias, new NDList()));
            assertTrue(e.getMessage().contains(Fields.LOGIT_BIAS), e.getMessage());
        }
        assertEquals(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE, Fields.LOGIT_BIAS),
                List.copyOf(objective.requires()));
    }

    private static NDList outputs(NDManager m, float[][] images, float[][] texts, float scale, float bias) {
        NDList outputs = Vectors.outputs(m, images, texts, scale);
        // A one-element array, as a recipe's parameter is: read as a scalar.
        outputs.add(0, Vectors.named(m.create(new float[] {bias}), Fields.LOGIT_BIAS));
        return outputs;
    }
}
