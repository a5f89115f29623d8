package org.synthloom.api.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A thing to caption: a class name such as {@code "red circle"} or {@code "golden retriever"},
 * with optional attributes that a template or prompt may use (background, relation, category).
 */
public final class Concept {

    private final String name;
    private final Map<String, String> attributes;

    /**
     * @param name the concept, not blank
     * @param attributes extra slots for templates; copied
     */
    public Concept(String name, Map<String, String> attributes) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("concept name is blank");
        }
        this.name = name;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /**
     * @param name the concept, not blank
     * @return a concept without attributes
     */
    public static Concept of(String name) {
        return new Concept(name, Map.of());
    }

    /** @return the concept's name */
    public String name() {
        return name;
    }

    /** @return the attributes, unmodifiable */
    public Map<String, String> attributes() {
        return attributes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Concept c && name.equals(c.name) && attributes.equals(c.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, attributes);
    }

    @Override
    public String toString() {
        return attributes.isEmpty() ? name : name + attributes;
    }
}
