package org.synthloom.maskgit.internal;

import java.util.Locale;

import ai.djl.ndarray.NDArray;

/**
 * MaskGIT's mask scheduling function {@code gamma(r)}: the fraction of image tokens that are masked
 * at progress {@code r in [0, 1]}, decreasing from {@code gamma(0) = 1} to {@code gamma(1) = 0}.
 * Training draws each sample's mask ratio as {@code gamma(u)}, {@code u ~ U(0, 1)}; decoding keeps
 * {@code floor(N gamma((t + 1) / T))} tokens masked after step {@code t} of {@code T}.
 */
enum MaskSchedule {
    /** {@code cos(pi/2 r)}: MaskGIT's choice, few tokens fixed early, most fixed late. */
    COSINE,
    /** {@code 1 - r}. */
    LINEAR,
    /** {@code 1 - r^2}. */
    SQUARE;

    /**
     * @param value a configuration value, case-insensitive
     * @return the schedule, or null if the value names none
     */
    static MaskSchedule parse(String value) {
        for (MaskSchedule s : values()) {
            if (s.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return s;
            }
        }
        return null;
    }

    /** @return the configuration value */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param r progress in [0, 1]
     * @return the masked fraction {@code gamma(r)}
     */
    double gamma(double r) {
        return switch (this) {
            case COSINE -> Math.cos(Math.PI / 2 * r);
            case LINEAR -> 1 - r;
            case SQUARE -> 1 - r * r;
        };
    }

    /**
     * {@link #gamma(double)} element-wise on a tensor.
     *
     * @param r progress, float32, any shape
     * @return the masked fractions
     */
    NDArray gamma(NDArray r) {
        return switch (this) {
            case COSINE -> r.mul((float) (Math.PI / 2)).cos();
            case LINEAR -> r.neg().add(1f);
            case SQUARE -> r.square().neg().add(1f);
        };
    }

    /**
     * How many of {@code n} image tokens stay masked after decoding step {@code step}: {@code floor(n
     * gamma((step + 1) / steps))}, none after the last step, and at least one fewer than before so
     * that every step fixes a token, at least one still masked before the last step so that every
     * step has one to fix.
     *
     * @param step the step, from 0
     * @param steps {@code T}
     * @param n the image tokens
     * @param maskedBefore tokens masked before the step
     * @return tokens masked after it
     */
    int maskedAfter(int step, int steps, int n, int maskedBefore) {
        if (step >= steps - 1 || maskedBefore <= 1) {
            return 0;
        }
        int planned = (int) Math.floor(n * gamma((step + 1) / (double) steps));
        return Math.max(1, Math.min(maskedBefore - 1, planned));
    }
}
