package org.synthloom.imageio;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@link ImageResizer#resize(org.synthloom.api.data.ImagePixels, int, ResizeMode)} fits an
 * image to a target size, with the semantics of img2dataset's {@code resize_mode}.
 */
public enum ResizeMode {

    /** Leave the image unchanged. */
    NO,

    /** Scale so that the shorter side equals the size, keeping the aspect ratio; no crop, so the
     *  result is not square unless the input was. */
    KEEP_RATIO,

    /** Scale so that the shorter side equals the size, then keep the centred size x size square. */
    CENTER_CROP,

    /** Scale so that the longer side equals the size, then pad to size x size, centred, with a
     *  border colour (black unless given). */
    BORDER;

    /**
     * Parses a configuration value.
     *
     * @param value {@code no}, {@code keep_ratio}, {@code center_crop} or {@code border}; case is
     *        ignored and dashes may stand for underscores ({@code center-crop})
     * @return the mode
     * @throws IllegalArgumentException if the value is none of these, with the valid values
     */
    public static ResizeMode parse(String value) {
        if (value != null) {
            String key = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (ResizeMode mode : values()) {
                if (mode.name().equals(key)) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("unknown resize mode '" + value + "'; valid values: "
                + Arrays.stream(values()).map(ResizeMode::configName).collect(Collectors.joining(", ")));
    }

    /** @return the value {@link #parse(String)} accepts for this mode, e.g. {@code center_crop} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
