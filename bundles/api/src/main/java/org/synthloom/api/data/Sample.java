package org.synthloom.api.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One image with its captions: the unit that datasets, generators, shards and trainers exchange.
 *
 * <p>The image may be present in several spaces at once (pixels for the gallery, VQ tokens for
 * the model); at least one caption or one image part is required. Samples are immutable; derive
 * a changed copy with {@link #toBuilder()}.
 */
public final class Sample {

    private final String id;
    private final ImagePixels pixels;
    private final TokenGrid tokens;
    private final Embedding embedding;
    private final Provenance imageProvenance;
    private final List<Caption> captions;
    private final List<String> labels;
    private final Map<String, String> metadata;

    private Sample(Builder b) {
        this.id = b.id;
        this.pixels = b.pixels;
        this.tokens = b.tokens;
        this.embedding = b.embedding;
        this.imageProvenance = b.imageProvenance;
        this.captions = Collections.unmodifiableList(new ArrayList<>(b.captions));
        this.labels = Collections.unmodifiableList(new ArrayList<>(b.labels));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    }

    /**
     * Starts a sample.
     *
     * @param id a key unique within its dataset or shard set; letters, digits, {@code . _ -} only,
     *     so that it can name files in a WebDataset tar
     * @return a builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** @return a builder holding this sample's values */
    public Builder toBuilder() {
        return toBuilder(id);
    }

    /**
     * @param newId the id of the derived sample (same rules as {@link #builder(String)})
     * @return a builder holding this sample's values under another id
     */
    public Builder toBuilder(String newId) {
        Builder b = new Builder(newId);
        b.pixels = pixels;
        b.tokens = tokens;
        b.embedding = embedding;
        b.imageProvenance = imageProvenance;
        b.captions.addAll(captions);
        b.labels.addAll(labels);
        b.metadata.putAll(metadata);
        return b;
    }

    /** @return the sample's key */
    public String id() {
        return id;
    }

    /** @return the decoded pixels, if the sample carries them */
    public Optional<ImagePixels> pixels() {
        return Optional.ofNullable(pixels);
    }

    /** @return the VQ token grid, if the sample carries one */
    public Optional<TokenGrid> tokens() {
        return Optional.ofNullable(tokens);
    }

    /** @return the image embedding, if the sample carries one */
    public Optional<Embedding> embedding() {
        return Optional.ofNullable(embedding);
    }

    /**
     * @param space a space
     * @return {@code true} if the image is present in that space
     */
    public boolean hasImage(ImageSpace space) {
        return switch (space) {
            case PIXELS -> pixels != null;
            case TOKENS -> tokens != null;
            case EMBEDDINGS -> embedding != null;
        };
    }

    /** @return where the image came from; human unless a generator made it */
    public Provenance imageProvenance() {
        return imageProvenance;
    }

    /** @return the captions, human and synthetic, in order; possibly empty */
    public List<Caption> captions() {
        return captions;
    }

    /** @return class names or concepts the image shows, when known; possibly empty */
    public List<String> labels() {
        return labels;
    }

    /** @return free-form string metadata (scene graph, source file, ...) */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && id.equals(s.id) && Objects.equals(pixels, s.pixels)
                && Objects.equals(tokens, s.tokens) && Objects.equals(embedding, s.embedding)
                && imageProvenance.equals(s.imageProvenance) && captions.equals(s.captions)
                && labels.equals(s.labels) && metadata.equals(s.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, pixels, tokens, embedding, imageProvenance, captions, labels, metadata);
    }

    @Override
    public String toString() {
        return "Sample[" + id + ", " + imageProvenance + ", " + captions.size() + " caption(s)]";
    }

    /** Builds a {@link Sample}. */
    public static final class Builder {
        private final String id;
        private ImagePixels pixels;
        private TokenGrid tokens;
        private Embedding embedding;
        private Provenance imageProvenance;
        private final List<Caption> captions = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder(String id) {
            Objects.requireNonNull(id, "id");
            if (id.isEmpty()) {
                throw new IllegalArgumentException("sample id is empty");
            }
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || c == '_' || c == '-' || c == '.';
                if (!allowed) {
                    throw new IllegalArgumentException("sample id '" + id + "' has the character '" + c
                            + "'; use letters, digits, '.', '_' and '-' only");
                }
            }
            if (id.startsWith(".")) {
                throw new IllegalArgumentException("sample id '" + id + "' must not start with '.'");
            }
            this.id = id;
        }

        /**
         * @param pixels the decoded image
         * @return this builder
         */
        public Builder pixels(ImagePixels pixels) {
            this.pixels = pixels;
            return this;
        }

        /**
         * @param tokens the VQ token grid
         * @return this builder
         */
        public Builder tokens(TokenGrid tokens) {
            this.tokens = tokens;
            return this;
        }

        /**
         * @param embedding the image embedding
         * @return this builder
         */
        public Builder embedding(Embedding embedding) {
            this.embedding = embedding;
            return this;
        }

        /**
         * @param provenance where the image came from
         * @return this builder
         */
        public Builder imageProvenance(Provenance provenance) {
            this.imageProvenance = provenance;
            return this;
        }

        /**
         * @param caption a caption to append
         * @return this builder
         */
        public Builder caption(Caption caption) {
            captions.add(Objects.requireNonNull(caption, "caption"));
            return this;
        }

        /**
         * Replaces the captions.
         *
         * @param replacement the new captions
         * @return this builder
         */
        public Builder captions(List<Caption> replacement) {
            captions.clear();
            replacement.forEach(this::caption);
            return this;
        }

        /**
         * @param label a class name or concept to append
         * @return this builder
         */
        public Builder label(String label) {
            labels.add(Objects.requireNonNull(label, "label"));
            return this;
        }

        /**
         * @param key metadata key
         * @param value metadata value
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @return the sample
         * @throws IllegalStateException if it has neither an image nor a caption, or no provenance
         */
        public Sample build() {
            if (pixels == null && tokens == null && embedding == null && captions.isEmpty()) {
                throw new IllegalStateException("sample " + id + " has neither an image nor a caption");
            }
            if (imageProvenance == null) {
                throw new IllegalStateException("sample " + id + " has no image provenance");
            }
            return new Sample(this);
        }
    }
}
