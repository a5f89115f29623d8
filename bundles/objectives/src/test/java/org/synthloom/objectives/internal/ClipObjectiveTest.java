package org.synthloom.objectives.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

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
        JsonArray cases = reference().getAsJsonArray("contrastive");
        assertEquals(6, cases.size());
        double worst = 0;
        for (JsonElement element : cases) {
            JsonObject c = element.getAsJsonObject();
            float[][] images = matrix(c.getAsJsonArray("image_features"));
            float[][] texts = matrix(c.getAsJsonArray("text_features"));
            float scale = c.get("logit_scale").getAsFloat();
            double expected = c.get("clip_loss").getAsDouble();
            try (NDManager step = manager.newSubManager()) {
                LossOutput out = objective.compute(outputs(step, images, texts, scale), new NDList());
                assertEquals(new Shape(), out.loss().getShape());
                double loss = out.loss().getFloat();
                assertEquals(expected, loss, 1e-4, "clip_loss of case " + images.length + "x" + images[0].length);
                worst = Math.max(worst, Math.abs(expected - loss));
                assertEquals(List.of("i2t_accuracy", "t2i_accuracy", "logit_scale"), List.copyOf(out.metrics().keySet()));
                assertEquals(top1(images, texts), out.metrics().get("i2t_accuracy").getFloat(), 1e-6);
                assertEquals(top1(texts, images), out.metrics().get("t2i_accuracy").getFloat(), 1e-6);
                assertEquals(scale, out.metrics().get("logit_scale").getFloat(), 0f);
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
            NDList outputs = outputs(step, images, texts, 10f);
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
            NDArray imagesAfter = imageEmbeds.stopGradient().sub(imageGradient.mul(0.01f));
            NDArray textsAfter = textEmbeds.stopGradient().sub(textGradient.mul(0.01f));
            imagesAfter.setName(Fields.IMAGE_EMBEDS);
            textsAfter.setName(Fields.TEXT_EMBEDS);
            float after = objective.compute(new NDList(imagesAfter, textsAfter, outputs.get(Fields.LOGIT_SCALE)),
                    new NDList()).loss().getFloat();
            assertTrue(after < before, "loss " + before + " -> " + after);
        }
    }

    @Test
    void aMissingOutputIsNamed() {
        float[][] unit = {{1, 0}, {0, 1}};
        try (NDManager step = manager.newSubManager()) {
            NDList full = outputs(step, unit, unit, 1f);
            for (String missing : objective.requires()) {
                NDList partial = new NDList();
                full.stream().filter(a -> !a.getName().equals(missing)).forEach(partial::add);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> objective.compute(partial, new NDList()));
                assertTrue(e.getMessage().contains("'" + missing + "'"), e.getMessage());
            }
            NDArray wide = step.zeros(new Shape(2, 3));
            wide.setName(Fields.TEXT_EMBEDS);
            NDList mismatched = new NDList(full.get(Fields.IMAGE_EMBEDS), wide, full.get(Fields.LOGIT_SCALE));
            assertThrows(IllegalArgumentException.class, () -> objective.compute(mismatched, new NDList()));
        }
        assertEquals(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE), List.copyOf(objective.requires()));
    }

    /** Named outputs as a model returns them; the scale is a scalar, already exponentiated. */
    private static NDList outputs(NDManager m, float[][] images, float[][] texts, float scale) {
        NDArray imageEmbeds = create(m, images);
        imageEmbeds.setName(Fields.IMAGE_EMBEDS);
        NDArray textEmbeds = create(m, texts);
        textEmbeds.setName(Fields.TEXT_EMBEDS);
        NDArray logitScale = m.create(scale);
        logitScale.setName(Fields.LOGIT_SCALE);
        // Shuffled on purpose: outputs are read by name.
        return new NDList(logitScale, textEmbeds, imageEmbeds);
    }

    private static NDArray create(NDManager m, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return m.create(flat, new Shape(rows.length, rows[0].length));
    }

    /** Fraction of queries whose most similar key (lowest index on a tie) is the matching one. */
    private static double top1(float[][] queries, float[][] keys) {
        int hits = 0;
        for (int i = 0; i < queries.length; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < keys.length; j++) {
                double score = 0;
                for (int d = 0; d < queries[i].length; d++) {
                    score += queries[i][d] * (double) keys[j][d];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = j;
                }
            }
            hits += best == i ? 1 : 0;
        }
        return hits / (double) queries.length;
    }

    private static float[][] matrix(JsonArray rows) {
        float[][] m = new float[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            m[i] = new float[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = row.get(j).getAsFloat();
            }
        }
        return m;
    }

    private static JsonObject reference() throws IOException {
        try (InputStream in = ClipObjectiveTest.class.getResourceAsStream("/reference-losses-metrics.json")) {
            assertTrue(in != null, "reference-losses-metrics.json on the test class path");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }
}
