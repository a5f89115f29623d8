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

    /**
     * The options of a component's typed configuration, each property checked with a message that
     * names the configuration and the property, as components report bad configuration.
     *
     * @param pid the configuration's PID, for the messages
     * @return the options
     * @throws IllegalArgumentException naming the PID, the property and the value: steps or
     *     batch.size below 1, learning.rate not a positive number, weight.decay not a number &gt;= 0,
     *     warmup.steps negative or not less than steps
     * @since 1.1.0
     */
    public static TrainingOptions checked(String pid, int steps, int batchSize, double learningRate, double weightDecay,
            int warmupSteps) {
        if (steps < 1) {
            throw new IllegalArgumentException(pid + ": steps must be >= 1, not " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException(pid + ": batch.size must be >= 1, not " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(pid + ": learning.rate must be a positive number, not " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(pid + ": weight.decay must be a number >= 0, not " + weightDecay);
        }
        if (warmupSteps < 0 || warmupSteps >= steps) {
            throw new IllegalArgumentException(pid + ": warmup.steps must be >= 0 and less than steps (" + steps
                    + "), not " + warmupSteps);
        }
        return new TrainingOptions(steps, batchSize, learningRate, weightDecay, warmupSteps);
    }
}
