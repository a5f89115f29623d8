package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** N-gram counts of a tokenised sentence, as pycocoevalcap's {@code precook} makes them. */
final class NGrams {

    private NGrams() {}

    /**
     * Counts the n-grams of every order up to {@code n}.
     *
     * @param words the tokens
     * @param n the largest order
     * @return element {@code k} holds the counts of the {@code (k + 1)}-grams, keyed by the tokens
     *     joined with a space (tokens never contain one), in order of first occurrence
     */
    static List<Map<String, Integer>> count(List<String> words, int n) {
        List<Map<String, Integer>> counts = new ArrayList<>(n);
        for (int k = 1; k <= n; k++) {
            Map<String, Integer> order = new LinkedHashMap<>();
            for (int i = 0; i + k <= words.size(); i++) {
                order.merge(String.join(" ", words.subList(i, i + k)), 1, Integer::sum);
            }
            counts.add(order);
        }
        return counts;
    }
}
