package org.synthloom.api.data;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The lineage of an image or a caption: human or synthetic, the dataset or generator it came
 * from, the generator's version, and the seed that reproduces it.
 */
public final class Provenance {

    private final Origin origin;
    private final String source;
    private final String sourceVersion;
    private final Long seed;

    private Provenance(Origin origin, String source, String sourceVersion, Long seed) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.source = Objects.requireNonNull(source, "source");
        this.sourceVersion = sourceVersion == null ? "" : sourceVersion;
        this.seed = seed;
    }

    /**
     * Provenance of human-annotated data.
     *
     * @param dataset the dataset it belongs to, e.g. {@code shapes-world}
     * @return the provenance
     */
    public static Provenance human(String dataset) {
        return new Provenance(Origin.HUMAN, dataset, "", null);
    }

    /**
     * Provenance of generated data.
     *
     * @param generator the generator's {@code synthloom.name}
     * @param version the generator bundle's version
     * @param seed the seed that reproduces this output
     * @return the provenance
     */
    public static Provenance synthetic(String generator, String version, long seed) {
        return new Provenance(Origin.SYNTHETIC, generator, version, seed);
    }

    /** @return human or synthetic */
    public Origin origin() {
        return origin;
    }

    /** @return the dataset (human data) or the generator name (synthetic data) */
    public String source() {
        return source;
    }

    /** @return the generator's version, or an empty string for human data */
    public String sourceVersion() {
        return sourceVersion;
    }

    /** @return the seed that reproduces a synthetic output; empty for human data */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /** @return {@code true} if a generator made it */
    public boolean isSynthetic() {
        return origin == Origin.SYNTHETIC;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Provenance p && origin == p.origin && source.equals(p.source)
                && sourceVersion.equals(p.sourceVersion) && Objects.equals(seed, p.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, source, sourceVersion, seed);
    }

    @Override
    public String toString() {
        return origin == Origin.HUMAN ? "human:" + source
                : "synthetic:" + source + "@" + sourceVersion + "#" + seed;
    }
}
