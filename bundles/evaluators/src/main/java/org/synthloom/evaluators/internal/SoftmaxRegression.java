package org.synthloom.evaluators.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multinomial logistic regression on standardised features, fitted full-batch on the engine:
 * {@code loss = mean cross-entropy(softmax(Z W + b), y) + (l2 / 2) |W|^2} with {@code Z} the
 * features standardised by the training mean and standard deviation, minimised by Adam
 * (beta 0.9/0.999, eps 1e-8) from zero weights for a fixed number of iterations, with the exact
 * gradient {@code Z^T (P - Y) / N + l2 W} (no autograd, so it runs whether or not the caller
 * records gradients). Deterministic: no sampling, no random initialisation.
 */
final class SoftmaxRegression {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float[] mean;
    private final float[] scale;
    private final float[] weights;
    private final float[] bias;
    private final int dimension;
    private final int classes;
    private final double loss;

    private SoftmaxRegression(float[] mean, float[] scale, float[] weights, float[] bias, int classes, double loss) {
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
        this.dimension = mean.length;
        this.classes = classes;
        this.loss = loss;
    }

    /**
     * Fits the probe.
     *
     * @param parent where to compute; everything is freed before returning
     * @param features {@code N} rows of {@code D} features
     * @param labels {@code N} class indices in {@code [0, classes)}
     * @param classes the number of classes
     * @param iterations Adam steps
     * @param learningRate Adam's step size
     * @param l2 the weight penalty
     * @return the fitted probe
     */
    static SoftmaxRegression fit(NDManager parent, float[][] features, int[] labels, int classes, int iterations,
            float learningRate, float l2) {
        int n = features.length;
        int d = features[0].length;
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.create(Embeddings.flatten(features), new Shape(n, d));
            NDArray mean = x.mean(new int[] {0});
            // A constant feature has deviation 0: its standardised value is 0 whatever the scale.
            NDArray scale = x.sub(mean).square().mean(new int[] {0}).sqrt().maximum(1e-6f);
            NDArray z = x.sub(mean).div(scale);
            NDArray y = m.create(labels).oneHot(classes, DataType.FLOAT32);
            NDArray w = m.zeros(new Shape(d, classes));
            NDArray b = m.zeros(new Shape(classes));
            NDArray[] moments = {m.zeros(w.getShape()), m.zeros(w.getShape()), m.zeros(b.getShape()), m.zeros(b.getShape())};
            NDArray zt = z.transpose();
            for (int t = 1; t <= iterations; t++) {
                // Temporaries of one step are freed with its scope; the state is updated in place.
                try (NDScope step = new NDScope()) {
                    NDArray residual = z.matMul(w).add(b).softmax(1).sub(y).div((float) n);
                    NDArray gradientW = zt.matMul(residual).add(w.mul(l2));
                    NDArray gradientB = residual.sum(new int[] {0});
                    adam(w, gradientW, moments[0], moments[1], t, learningRate);
                    adam(b, gradientB, moments[2], moments[3], t, learningRate);
                }
            }
            NDArray logProbabilities = z.matMul(w).add(b).logSoftmax(1);
            double loss = logProbabilities.mul(y).sum().neg().div((float) n).getFloat()
                    + l2 / 2.0 * w.square().sum().getFloat();
            return new SoftmaxRegression(mean.toFloatArray(), scale.toFloatArray(), w.toFloatArray(), b.toFloatArray(),
                    classes, loss);
        }
    }

    private static void adam(NDArray parameter, NDArray gradient, NDArray first, NDArray second, int t,
            float learningRate) {
        first.muli(BETA1).addi(gradient.mul(1 - BETA1));
        second.muli(BETA2).addi(gradient.square().mul(1 - BETA2));
        float firstCorrection = (float) (1 - Math.pow(BETA1, t));
        float secondCorrection = (float) (1 - Math.pow(BETA2, t));
        parameter.subi(first.div(firstCorrection).mul(learningRate)
                .div(second.div(secondCorrection).sqrt().add(EPSILON)));
    }

    /**
     * @param parent where to compute; everything is freed before returning
     * @param features rows of {@code D} features, standardised as the training features were
     * @return the most probable class of each row (the lowest index on a tie)
     */
    int[] predict(NDManager parent, float[][] features) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.create(Embeddings.flatten(features), new Shape(features.length, dimension));
            NDArray z = x.sub(m.create(mean)).div(m.create(scale));
            NDArray logits = z.matMul(m.create(weights, new Shape(dimension, classes))).add(m.create(bias));
            return logits.argMax(1).toType(DataType.INT32, false).toIntArray();
        }
    }

    /** @return the training loss (cross-entropy plus penalty) at the end of the fit */
    double loss() {
        return loss;
    }
}
