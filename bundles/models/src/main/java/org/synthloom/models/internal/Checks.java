package org.synthloom.models.internal;

/** Validation of configuration values, with messages that name the PID and the property. */
final class Checks {

    private Checks() {}

    static void positive(String pid, String property, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(pid + ": " + property + " must be positive, got " + value);
        }
    }
}
