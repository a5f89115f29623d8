package org.synthloom.api.train;

import java.util.Locale;

/**
 * How {@link FitContext#train} optimises a plugin's own model: steps, batch size and AdamW's
 * learning rate (linear warm-up, then cosine decay) and decoupled weight decay.
 *
 * @param steps optimisation steps, positive
 * @param batchSize samples per step, positive
 * @param learningRate peak learning rate, positive
 * @param weightDecay decoupled weight decay on matrices and kernels, not negative
 * @param warmupSteps steps of linear warm-up, not negative
 */
public record TrainingOptions(int steps, int batchSize, double learningRate, double weightDecay, int warmupSteps) {

    /** Checks the values. */
    public TrainingOptions {
        if (steps <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "steps (%d) and batch size (%d) must be positive", steps, batchSize));
        }
        if (!(learningRate > 0) || weightDecay < 0 || warmupSteps < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "learning rate (%s) must be positive, weight decay (%s) and warm-up (%d) not negative",
                    learningRate, weightDecay, warmupSteps));
        }
    }
}
