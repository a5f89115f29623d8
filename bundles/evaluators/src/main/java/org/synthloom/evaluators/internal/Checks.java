package org.synthloom.evaluators.internal;

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
}
