package org.synthloom.api.generate;

import java.util.List;

/**
 * What an {@link ImageGenerator} is asked for: images for captions, several per caption when a
 * method wants multiple positives (SynCLR), reproducibly from a seed.
 */
public final class ImageRequest {

    private final List<GeneratedCaption> captions;
    private final int imagesPerCaption;
    private final long seed;

    /**
     * @param captions the captions to illustrate, not empty
     * @param imagesPerCaption images per caption, each from a different derived seed; positive
     * @param seed the seed that makes the answer reproducible
     */
    public ImageRequest(List<GeneratedCaption> captions, int imagesPerCaption, long seed) {
        if (captions.isEmpty()) {
            throw new IllegalArgumentException("no captions to illustrate");
        }
        if (imagesPerCaption <= 0) {
            throw new IllegalArgumentException("images per caption must be positive: " + imagesPerCaption);
        }
        this.captions = List.copyOf(captions);
        this.imagesPerCaption = imagesPerCaption;
        this.seed = seed;
    }

    /** @return the captions, in order */
    public List<GeneratedCaption> captions() {
        return captions;
    }

    /** @return images wanted per caption */
    public int imagesPerCaption() {
        return imagesPerCaption;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }
}
