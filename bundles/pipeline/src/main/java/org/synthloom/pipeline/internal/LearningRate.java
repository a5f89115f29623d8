package org.synthloom.pipeline.internal;

/** Linear warm-up to the peak rate, then constant or cosine decay to zero at the last step. */
final class LearningRate {

    private final double peak;
    private final int warmup;
    private final int total;
    private final boolean cosine;

    LearningRate(double peak, int warmup, int total, boolean cosine) {
        this.peak = peak;
        this.warmup = Math.max(0, Math.min(warmup, total - 1));
        this.total = total;
        this.cosine = cosine;
    }

    /** @return the rate for an update at step (counting from 0) */
    float at(int step) {
        if (step < warmup) {
            return (float) (peak * (step + 1) / warmup);
        }
        if (!cosine || total <= warmup + 1) {
            return (float) peak;
        }
        double progress = (step - warmup) / (double) (total - warmup - 1);
        return (float) (0.5 * peak * (1 + Math.cos(Math.PI * Math.min(1, progress))));
    }
}
