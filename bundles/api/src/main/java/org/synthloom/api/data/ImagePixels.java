package org.synthloom.api.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded image as 8-bit samples in height x width x channels order (interleaved RGB for three
 * channels, grey for one). The array is shared, not copied: do not modify it.
 */
public final class ImagePixels {

    private final int width;
    private final int height;
    private final int channels;
    private final byte[] data;

    /**
     * @param width pixels per row, positive
     * @param height rows, positive
     * @param channels 1 (grey) or 3 (RGB)
     * @param data {@code width * height * channels} bytes, row-major, channels interleaved
     * @throws IllegalArgumentException if the sizes disagree
     */
    public ImagePixels(int width, int height, int channels, byte[] data) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
        }
        Objects.requireNonNull(data, "data");
        if ((long) width * height * channels != data.length) {
            throw new IllegalArgumentException("expected " + (long) width * height * channels
                    + " bytes for " + width + "x" + height + "x" + channels + ", got " + data.length);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    /** @return pixels per row */
    public int width() {
        return width;
    }

    /** @return number of rows */
    public int height() {
        return height;
    }

    /** @return 1 or 3 */
    public int channels() {
        return channels;
    }

    /** @return the backing array, HWC order; do not modify */
    public byte[] data() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePixels p && width == p.width && height == p.height
                && channels == p.channels && Arrays.equals(data, p.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(width, height, channels) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ImagePixels[" + width + "x" + height + "x" + channels + "]";
    }
}
