package org.synthloom.api.model;

/**
 * The shapes of the data a model is built for: image size, VQ grid, vocabulary and context
 * length, number of classes. Fields that do not apply are zero.
 */
public final class DataSpec {

    private final int imageSize;
    private final int channels;
    private final int tokenGridSize;
    private final int codebookSize;
    private final int vocabularySize;
    private final int contextLength;
    private final int classCount;

    private DataSpec(Builder b) {
        this.imageSize = b.imageSize;
        this.channels = b.channels;
        this.tokenGridSize = b.tokenGridSize;
        this.codebookSize = b.codebookSize;
        this.vocabularySize = b.vocabularySize;
        this.contextLength = b.contextLength;
        this.classCount = b.classCount;
    }

    /** @return a builder with every field zero except 3 channels */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the side of the square input images in pixels, or 0 */
    public int imageSize() {
        return imageSize;
    }

    /** @return image channels */
    public int channels() {
        return channels;
    }

    /** @return the side of the square VQ token grid, or 0 */
    public int tokenGridSize() {
        return tokenGridSize;
    }

    /** @return the VQ codebook size, or 0 */
    public int codebookSize() {
        return codebookSize;
    }

    /** @return the text vocabulary size, or 0 */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** @return the text context length in tokens, or 0 */
    public int contextLength() {
        return contextLength;
    }

    /** @return the number of classes, or 0 */
    public int classCount() {
        return classCount;
    }

    /** Builds a {@link DataSpec}. */
    public static final class Builder {
        private int imageSize;
        private int channels = 3;
        private int tokenGridSize;
        private int codebookSize;
        private int vocabularySize;
        private int contextLength;
        private int classCount;

        private Builder() {}

        /**
         * @param pixels side of square images
         * @param imageChannels channels
         * @return this builder
         */
        public Builder images(int pixels, int imageChannels) {
            this.imageSize = pixels;
            this.channels = imageChannels;
            return this;
        }

        /**
         * @param gridSize side of the square token grid
         * @param codes codebook size
         * @return this builder
         */
        public Builder tokens(int gridSize, int codes) {
            this.tokenGridSize = gridSize;
            this.codebookSize = codes;
            return this;
        }

        /**
         * @param vocabulary vocabulary size
         * @param context context length
         * @return this builder
         */
        public Builder text(int vocabulary, int context) {
            this.vocabularySize = vocabulary;
            this.contextLength = context;
            return this;
        }

        /**
         * @param classes number of classes
         * @return this builder
         */
        public Builder classes(int classes) {
            this.classCount = classes;
            return this;
        }

        /** @return the spec */
        public DataSpec build() {
            return new DataSpec(this);
        }
    }
}
