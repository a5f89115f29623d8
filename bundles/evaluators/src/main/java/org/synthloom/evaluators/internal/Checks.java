package org.synthloom.evaluators.internal;

import java.util.List;

/** Validation of configuration values, with messages that name the PID and the property. */
final class Checks {

    private Checks() {}

    static int positive(String pid, String property, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(pid + ": " + property + " must be positive, got " + value);
        }
        return value;
    }

    static String notBlank(String pid, String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(pid + ": " + property + " must not be blank");
        }
        return value;
    }

    static double positive(String pid, String property, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(pid + ": " + property + " must be a positive number, got " + value);
        }
        return value;
    }

    static double nonNegative(String pid, String property, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(pid + ": " + property + " must be zero or positive, got " + value);
        }
        return value;
    }

    static int nonNegative(String pid, String property, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(pid + ": " + property + " must be zero or positive, got " + value);
        }
        return value;
    }

    /** Candidates and reference sets of a caption metric: as many of each, at least one, each image with a reference. */
    static void sameNonEmpty(List<?> candidates, List<? extends List<?>> references) {
        if (candidates.isEmpty() || candidates.size() != references.size()) {
            throw new IllegalArgumentException("need one candidate per reference set, got " + candidates.size()
                    + " candidates and " + references.size() + " reference sets");
        }
        for (int i = 0; i < references.size(); i++) {
            if (references.get(i).isEmpty()) {
                throw new IllegalArgumentException("image " + i + " has no reference caption");
            }
        }
    }
}
