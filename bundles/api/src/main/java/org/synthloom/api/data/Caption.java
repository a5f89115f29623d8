package org.synthloom.api.data;

import java.util.Objects;

/**
 * One caption of a sample with its own provenance: a human caption and a synthetic recaption of
 * the same image sit side by side on one sample.
 */
public final class Caption {

    private final String text;
    private final Provenance provenance;

    /**
     * @param text the caption, not blank
     * @param provenance who wrote it
     * @throws IllegalArgumentException if the text is blank
     */
    public Caption(String text, Provenance provenance) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("caption text is blank");
        }
        this.text = text;
        this.provenance = Objects.requireNonNull(provenance, "provenance");
    }

    /** @return the caption text */
    public String text() {
        return text;
    }

    /** @return who wrote the caption */
    public Provenance provenance() {
        return provenance;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Caption c && text.equals(c.text) && provenance.equals(c.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, provenance);
    }

    @Override
    public String toString() {
        return '"' + text + "\" (" + provenance + ')';
    }
}
