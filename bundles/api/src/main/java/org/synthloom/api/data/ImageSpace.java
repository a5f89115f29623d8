package org.synthloom.api.data;

/**
 * The space an image lives in. Image generators declare the space they emit; image encoders the
 * space they read. Synth2's point is that generating in {@link #TOKENS} skips the pixel decoder
 * and re-encoder and is much cheaper than {@link #PIXELS}.
 */
public enum ImageSpace {
    /** RGB pixels ({@link ImagePixels}). */
    PIXELS,
    /** Discrete VQ codebook indices on a grid ({@link TokenGrid}). */
    TOKENS,
    /** Continuous feature vectors ({@link Embedding}). */
    EMBEDDINGS
}
