package org.synthloom.objectives.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.model.Fields;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The {@code contrastive[]} reference cases of {@code reference-losses-metrics.json} and the
 * arrays tests build from them, plus the double-precision arithmetic the tests check against.
 */
final class Vectors {

    /** One {@code contrastive[]} case. */
    record Case(float[][] images, float[][] texts, float scale, float bias, int[] labels, JsonObject json) {

        double expected(String name) {
            return json.get(name).getAsDouble();
        }

        @Override
        public String toString() {
            return images.length + "x" + images[0].length + " scale " + scale;
        }
    }

    private Vectors() {}

    static List<Case> contrastive() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (JsonElement element : reference().getAsJsonArray("contrastive")) {
            JsonObject c = element.getAsJsonObject();
            JsonArray labels = c.getAsJsonArray("labels");
            int[] l = new int[labels.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = labels.get(i).getAsInt();
            }
            cases.add(new Case(matrix(c.getAsJsonArray("image_features")), matrix(c.getAsJsonArray("text_features")),
                    c.get("logit_scale").getAsFloat(), c.get("logit_bias").getAsFloat(), l, c));
        }
        return cases;
    }

    /** Named outputs as a model returns them, shuffled on purpose: outputs are read by name. */
    static NDList outputs(NDManager m, float[][] images, float[][] texts, float scale) {
        NDArray logitScale = m.create(scale);
        logitScale.setName(Fields.LOGIT_SCALE);
        return new NDList(logitScale, named(create(m, texts), Fields.TEXT_EMBEDS), named(create(m, images), Fields.IMAGE_EMBEDS));
    }

    static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    static NDArray create(NDManager m, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return m.create(flat, new Shape(rows.length, rows[0].length));
    }

    /** {@code scale * I T^T} in double precision. */
    static double[][] logits(float[][] images, float[][] texts, double scale) {
        double[][] s = new double[images.length][texts.length];
        for (int i = 0; i < images.length; i++) {
            for (int j = 0; j < texts.length; j++) {
                double dot = 0;
                for (int d = 0; d < images[i].length; d++) {
                    dot += images[i][d] * (double) texts[j][d];
                }
                s[i][j] = scale * dot;
            }
        }
        return s;
    }

    /** {@code log softmax} of one row, in double precision. */
    static double[] logSoftmax(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : row) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (double x : row) {
            sum += Math.exp(x - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = row[i] - log;
        }
        return out;
    }

    static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    /** Index of the largest entry, the lowest on a tie (as {@code argMax}). */
    static int argMax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
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
        try (InputStream in = Vectors.class.getResourceAsStream("/reference-losses-metrics.json")) {
            assertTrue(in != null, "reference-losses-metrics.json on the test class path");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }
}
