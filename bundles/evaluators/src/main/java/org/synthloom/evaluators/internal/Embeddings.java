package org.synthloom.evaluators.internal;

import org.synthloom.api.train.EvaluationContext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** Runs the model on one batch and copies named outputs to Java as unit rows. */
final class Embeddings {

    private Embeddings() {}

    /**
     * Forwards a batch and reads the named outputs, and nothing else: a text-only batch need not
     * produce image embeddings, and the other way round.
     *
     * @param context the evaluation context
     * @param batch the batch, from {@code toBatch} or {@code tokenize}
     * @param rows the number of rows each output must have
     * @param names the outputs to read, e.g. {@code image_embeds}
     * @return for each name, the rows of that output, each L2-normalised (a zero row stays zero)
     * @throws IllegalStateException if the model does not return an output with that many rows
     */
    static float[][][] forward(EvaluationContext context, NDList batch, int rows, String... names) {
        // The batch and the outputs move into a scope closed here, so nothing of them stays in
        // the context's manager until the end of the evaluation.
        try (NDManager scope = context.manager().newSubManager()) {
            batch.attach(scope);
            NDList outputs = context.forward(batch);
            outputs.attach(scope);
            float[][][] result = new float[names.length][][];
            for (int n = 0; n < names.length; n++) {
                result[n] = unitRows(outputs, names[n], rows);
            }
            return result;
        }
    }

    private static float[][] unitRows(NDList outputs, String name, int rows) {
        NDArray embeds = outputs.get(name);
        if (embeds == null) {
            throw new IllegalStateException("the model returned no '" + name + "' (got "
                    + outputs.stream().map(NDArray::getName).toList() + ")");
        }
        if (embeds.getShape().dimension() != 2 || embeds.getShape().get(0) != rows) {
            throw new IllegalStateException("'" + name + "' has shape " + embeds.getShape() + ", expected (" + rows
                    + ", D)");
        }
        int width = (int) embeds.getShape().get(1);
        float[] flat = embeds.toType(DataType.FLOAT32, false).toFloatArray();
        float[][] result = new float[rows][width];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * width, result[i], 0, width);
            normalize(result[i]);
        }
        return result;
    }

    /** Scales a vector to unit length in place; a zero vector stays zero. */
    static void normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum > 0) {
            float scale = (float) (1 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
        }
    }

    /** Rows of equal length, row after row in one array. */
    static float[] flatten(float[][] rows) {
        int width = rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return flat;
    }

    static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
