package org.synthloom.api.generate;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link CaptionGenerator} is asked for: captions for each of some concepts, reproducibly
 * from a seed, optionally guided by in-context demonstrations.
 */
public final class CaptionRequest {

    private final List<Concept> concepts;
    private final int captionsPerConcept;
    private final long seed;
    private final List<String> demonstrations;

    /**
     * @param concepts the concepts to caption, not empty
     * @param captionsPerConcept how many captions per concept, positive
     * @param seed the seed that makes the answer reproducible
     * @param demonstrations example captions to show an in-context generator; may be empty
     */
    public CaptionRequest(List<Concept> concepts, int captionsPerConcept, long seed, List<String> demonstrations) {
        if (concepts.isEmpty()) {
            throw new IllegalArgumentException("no concepts to caption");
        }
        if (captionsPerConcept <= 0) {
            throw new IllegalArgumentException("captions per concept must be positive: " + captionsPerConcept);
        }
        this.concepts = List.copyOf(concepts);
        this.captionsPerConcept = captionsPerConcept;
        this.seed = seed;
        this.demonstrations = List.copyOf(Objects.requireNonNull(demonstrations, "demonstrations"));
    }

    /** @return the concepts, in order */
    public List<Concept> concepts() {
        return concepts;
    }

    /** @return captions wanted per concept */
    public int captionsPerConcept() {
        return captionsPerConcept;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return in-context demonstrations; possibly empty */
    public List<String> demonstrations() {
        return demonstrations;
    }
}
