package org.synthloom.api.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image as continuous features (one vector, or a sequence of vectors), tagged with the space
 * that produced it. The arrays are shared, not copied: do not modify them.
 */
public final class Embedding {

    private final float[] values;
    private final int[] shape;
    private final String space;

    /**
     * @param values the features, row-major
     * @param shape the shape, whose product equals {@code values.length}
     * @param space identity of the encoder that made them (name and version)
     * @throws IllegalArgumentException if the shape does not match
     */
    public Embedding(float[] values, int[] shape, String space) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(shape, "shape");
        long count = 1;
        for (int dimension : shape) {
            if (dimension <= 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a non-positive dimension");
            }
            count *= dimension;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + count + " values, got " + values.length);
        }
        this.values = values;
        this.shape = shape;
        this.space = Objects.requireNonNull(space, "space");
    }

    /** @return the features; do not modify */
    public float[] values() {
        return values;
    }

    /** @return the shape; do not modify */
    public int[] shape() {
        return shape;
    }

    /** @return the identity of the encoder that produced the features */
    public String space() {
        return space;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && space.equals(e.space) && Arrays.equals(shape, e.shape)
                && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * space.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Embedding" + Arrays.toString(shape) + " of " + space;
    }
}
