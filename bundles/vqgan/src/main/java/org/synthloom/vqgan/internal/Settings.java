package org.synthloom.vqgan.internal;

import com.google.gson.JsonObject;

/**
 * The validated configuration of the tokenizer: the architecture (what the saved parameters
 * depend on) and the fitting schedule.
 *
 * @param channels channels of the deepest level
 * @param downsample image side / grid side, a power of two
 * @param codebookSize number of codes K
 * @param embeddingDim width D of a code
 * @param beta commitment weight
 * @param autoencoderSteps steps of the autoencoder warm-up
 * @param steps steps of VQ training
 * @param batchSize images per step
 * @param learningRate peak learning rate
 * @param kmeansSamples images whose encoder outputs initialise the codebook
 * @param kmeansIterations Lloyd iterations
 */
record Settings(int channels, int downsample, int codebookSize, int embeddingDim, double beta, int autoencoderSteps,
        int steps, int batchSize, double learningRate, int kmeansSamples, int kmeansIterations) {

    /** The narrowest level: below this a convolution has too few channels to draw flat shapes and edges. */
    static final int MIN_CHANNELS = 16;

    /** Checks every value; the message names the PID, the property and the value. */
    Settings {
        positive("channels", channels);
        if (downsample < 2 || Integer.bitCount(downsample) != 1) {
            throw bad("downsample", downsample, "must be a power of two, at least 2");
        }
        if (codebookSize < 2) {
            throw bad("codebook.size", codebookSize, "must be at least 2");
        }
        positive("embedding.dim", embeddingDim);
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw bad("beta", beta, "must be a finite number, not negative");
        }
        positive("autoencoder.steps", autoencoderSteps);
        positive("steps", steps);
        positive("batch.size", batchSize);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw bad("learning.rate", learningRate, "must be positive");
        }
        positive("kmeans.samples", kmeansSamples);
        positive("kmeans.iterations", kmeansIterations);
    }

    /** @return the settings of a configuration */
    static Settings of(VqGanConfig c) {
        return new Settings(c.channels(), c.downsample(), c.codebook_size(), c.embedding_dim(), c.beta(),
                c.autoencoder_steps(), c.steps(), c.batch_size(), c.learning_rate(), c.kmeans_samples(),
                c.kmeans_iterations());
    }

    /** @return the number of stride-2 levels */
    int levels() {
        return Integer.numberOfTrailingZeros(downsample);
    }

    /**
     * @param level 0 at full resolution, {@link #levels()} at the token grid
     * @return the channels of that level: {@link #channels()} at the grid, halved per finer level
     */
    int width(int level) {
        return Math.max(Math.min(MIN_CHANNELS, channels), channels >> (levels() - level));
    }

    /**
     * @param imageSize side of square images
     * @return the side of their token grid
     * @throws IllegalArgumentException if the downsampling factor does not divide the size
     */
    int gridSize(int imageSize) {
        if (imageSize <= 0 || imageSize % downsample != 0) {
            throw new IllegalArgumentException(VqGan.PID + ": images of " + imageSize + "x" + imageSize
                    + " pixels cannot be tokenised: downsample (" + downsample + ") must divide the image size");
        }
        return imageSize / downsample;
    }

    /** @return the architecture as JSON, for the saved state (what its parameters mean) */
    JsonObject architecture() {
        JsonObject o = new JsonObject();
        o.addProperty("channels", channels);
        o.addProperty("downsample", downsample);
        o.addProperty("codebook.size", codebookSize);
        o.addProperty("embedding.dim", embeddingDim);
        return o;
    }

    private static void positive(String property, int value) {
        if (value <= 0) {
            throw bad(property, value, "must be positive");
        }
    }

    private static IllegalArgumentException bad(String property, Object value, String rule) {
        return new IllegalArgumentException(VqGan.PID + ": " + property + " " + rule + ", got " + value);
    }
}
