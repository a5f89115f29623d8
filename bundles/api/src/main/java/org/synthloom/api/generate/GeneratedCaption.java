package org.synthloom.api.generate;

import java.util.Objects;

import org.synthloom.api.data.Caption;

/** A caption a generator wrote for a concept. */
public final class GeneratedCaption {

    private final Concept concept;
    private final Caption caption;

    /**
     * @param concept the concept it describes
     * @param caption the text with its synthetic provenance
     */
    public GeneratedCaption(Concept concept, Caption caption) {
        this.concept = Objects.requireNonNull(concept, "concept");
        this.caption = Objects.requireNonNull(caption, "caption");
    }

    /** @return the concept the caption is about */
    public Concept concept() {
        return concept;
    }

    /** @return the caption */
    public Caption caption() {
        return caption;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratedCaption g && concept.equals(g.concept) && caption.equals(g.caption);
    }

    @Override
    public int hashCode() {
        return Objects.hash(concept, caption);
    }

    @Override
    public String toString() {
        return concept.name() + ": " + caption;
    }
}
