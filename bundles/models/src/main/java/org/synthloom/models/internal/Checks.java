package org.synthloom.models.internal;

import java.util.Arrays;
import java.util.Locale;

/** Validation of configuration values, with messages that name the PID and the property. */
final class Checks {

    private Checks() {}

    static void positive(String pid, String property, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(pid + ": " + property + " must be positive, got " + value);
        }
    }

    /** A transformer's width must split evenly into its attention heads. */
    static void heads(String pid, String widthProperty, int width, String headsProperty, int heads) {
        positive(pid, widthProperty, width);
        positive(pid, headsProperty, heads);
        if (width % heads != 0) {
            throw new IllegalArgumentException(pid + ": " + widthProperty + " = " + width + " is not a multiple of "
                    + headsProperty + " = " + heads);
        }
    }

    /**
     * @return the constant of {@code type} whose name is {@code value}, ignoring case and surrounding blanks
     * @throws IllegalArgumentException naming the PID, the property, the value and the choices
     */
    static <E extends Enum<E>> E option(String pid, String property, String value, Class<E> type) {
        String wanted = value == null ? "" : value.trim();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        String[] choices = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        throw new IllegalArgumentException(pid + ": " + property + " must be one of " + String.join(", ", choices)
                + ", got '" + value + "'");
    }

    /** Hidden width of a transformer MLP: {@code round(width * ratio)}, at least 1. */
    static int mlpHidden(String pid, int width, float ratio) {
        positive(pid, "mlp.ratio", ratio);
        return Math.max(1, Math.round(width * ratio));
    }
}
