package org.synthloom.shapes.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How often each concept appears: held-out concepts never, rare concepts with a relative weight
 * of {@code rareRate}, every other concept with weight 1. The training split uses the configured
 * coverage; the other splits are uniform.
 */
final class Coverage {

    /** Every concept equally often. */
    static final Coverage UNIFORM = new Coverage(List.of(), List.of(), 1.0);

    private final Set<String> holdout;
    private final Set<String> rare;
    private final double rareRate;
    private final double[] cumulative;

    /**
     * @param holdout concepts that never appear
     * @param rare concepts that appear with weight {@code rareRate}
     * @param rareRate relative frequency of a rare concept, in [0, 1]
     * @throws IllegalArgumentException on an unknown concept, a concept in both sets, a rate out
     *     of range, or when nothing is left to draw
     */
    Coverage(Collection<String> holdout, Collection<String> rare, double rareRate) {
        this.holdout = normalise(holdout, "holdout");
        this.rare = normalise(rare, "rare");
        if (!(rareRate >= 0 && rareRate <= 1)) {
            throw new IllegalArgumentException("rare.rate must be between 0 and 1: " + rareRate);
        }
        for (String concept : this.rare) {
            if (this.holdout.contains(concept)) {
                throw new IllegalArgumentException("'" + concept + "' is both held out and rare; choose one");
            }
        }
        this.rareRate = rareRate;
        List<String> concepts = Vocabulary.CONCEPTS;
        cumulative = new double[concepts.size()];
        double total = 0;
        for (int i = 0; i < concepts.size(); i++) {
            total += weight(concepts.get(i));
            cumulative[i] = total;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("holdout and rare leave no concept to draw");
        }
    }

    /** @return the relative weight of a concept: 0, rareRate or 1 */
    double weight(String concept) {
        return holdout.contains(concept) ? 0 : rare.contains(concept) ? rareRate : 1;
    }

    /**
     * @param concept a concept
     * @return how the train split covers it: {@code held-out}, {@code rare} or {@code common}, the
     *     value of a sample's {@code train.coverage} metadata
     */
    String role(String concept) {
        return holdout.contains(concept) ? "held-out" : rare.contains(concept) ? "rare" : "common";
    }

    /** Draws a concept with probability proportional to its weight. */
    String pick(Rng rng) {
        double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return Vocabulary.CONCEPTS.get(i);
            }
        }
        // u can equal the total only through rounding: the last concept with weight
        for (int i = cumulative.length - 1; i >= 0; i--) {
            if (weight(Vocabulary.CONCEPTS.get(i)) > 0) {
                return Vocabulary.CONCEPTS.get(i);
            }
        }
        throw new IllegalStateException("no concept to draw");
    }

    Set<String> holdout() {
        return holdout;
    }

    Set<String> rare() {
        return rare;
    }

    double rareRate() {
        return rareRate;
    }

    private static Set<String> normalise(Collection<String> names, String what) {
        Set<String> set = new LinkedHashSet<>();
        for (String name : names) {
            if (name != null && !name.isBlank()) {
                set.add(Vocabulary.requireConcept(name, what));
            }
        }
        return Collections.unmodifiableSet(set);
    }

    @Override
    public String toString() {
        return "holdout " + holdout + ", rare " + rare + " at " + rareRate;
    }
}
