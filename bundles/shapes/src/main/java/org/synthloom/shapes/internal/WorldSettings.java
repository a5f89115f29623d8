package org.synthloom.shapes.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The shapes world's settings, checked.
 *
 * @param seed seeds every scene
 * @param imageSize image side in pixels
 * @param trainSize samples in train
 * @param valSize samples in val
 * @param testSize samples in test
 * @param coverage the train split's coverage
 */
record WorldSettings(long seed, int imageSize, int trainSize, int valSize, int testSize, Coverage coverage) {

    static final List<String> SPLITS = List.of("train", "val", "test");
    static final List<String> DEFAULT_HOLDOUT = List.of("red triangle", "blue star", "green hexagon", "yellow diamond");
    static final List<String> DEFAULT_RARE = List.of("purple circle", "orange square");
    static final double DEFAULT_RARE_RATE = 0.1;

    WorldSettings {
        requireImageSize(imageSize);
        if (trainSize < 0 || valSize < 0 || testSize < 0) {
            throw new IllegalArgumentException("split sizes must not be negative: train " + trainSize + ", val "
                    + valSize + ", test " + testSize);
        }
    }

    /** The defaults of {@link ShapesWorldConfig}. */
    static WorldSettings defaults() {
        return new WorldSettings(7, 64, 2000, 200, 500, new Coverage(DEFAULT_HOLDOUT, DEFAULT_RARE, DEFAULT_RARE_RATE));
    }

    static WorldSettings from(ShapesWorldConfig c) {
        return new WorldSettings(c.seed(), c.image_size(), c.train_size(), c.val_size(), c.test_size(),
                new Coverage(list(c.holdout()), list(c.rare()), c.rare_rate()));
    }

    /**
     * @return the number of samples in a split
     * @throws IllegalArgumentException naming the splits if there is no such split
     */
    int size(String split) {
        return switch (requireSplit(split)) {
            case "train" -> trainSize;
            case "val" -> valSize;
            default -> testSize;
        };
    }

    static String requireSplit(String split) {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("unknown split '" + split + "' of " + ShapesWorldDataset.NAME
                    + "; the splits are " + SPLITS);
        }
        return split;
    }

    static int requireImageSize(int size) {
        if (size < 8 || size > 1024) {
            throw new IllegalArgumentException("image.size must be between 8 and 1024 pixels: " + size);
        }
        return size;
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
