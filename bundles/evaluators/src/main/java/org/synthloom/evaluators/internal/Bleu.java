package org.synthloom.evaluators.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU-1..4 exactly as pycocoevalcap's {@code Bleu} scorer computes it (its
 * {@code compute_score(option='closest')}): clipped n-gram matches and candidate n-grams are summed
 * over the corpus; each candidate's effective reference length is the reference length closest
 * to its own (the shorter on a tie), summed over the corpus for one brevity penalty
 * {@code exp(1 - r / c)} when {@code c < r}; BLEU-n is the geometric mean of the first {@code n}
 * precisions, each {@code (matches + 1e-15) / (guesses + 1e-9)} as pycocoevalcap guards them.
 *
 * <p>Sentences are given tokenised ({@link CocoTokenizer}).
 */
final class Bleu {

    /** The largest n-gram order. */
    static final int N = 4;
    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    private Bleu() {}

    /**
     * @param candidates one tokenised candidate per image
     * @param references the tokenised references of each image, at least one each
     * @return BLEU-1, BLEU-2, BLEU-3, BLEU-4 of the corpus
     * @throws IllegalArgumentException if the lists differ in length, are empty, or an image has
     *     no reference
     */
    static double[] corpus(List<List<String>> candidates, List<List<List<String>>> references) {
        Checks.sameNonEmpty(candidates, references);
        long[] correct = new long[N];
        long[] guess = new long[N];
        long candidateLength = 0;
        long referenceLength = 0;
        for (int i = 0; i < candidates.size(); i++) {
            List<String> candidate = candidates.get(i);
            List<List<String>> refs = references.get(i);
            // The largest count of each n-gram in any one reference clips the candidate's count.
            Map<String, Integer> maxCounts = new HashMap<>();
            int closest = -1;
            for (List<String> ref : refs) {
                for (Map<String, Integer> order : NGrams.count(ref, N)) {
                    order.forEach((gram, count) -> maxCounts.merge(gram, count, Math::max));
                }
                int distance = Math.abs(ref.size() - candidate.size());
                int best = Math.abs(closest - candidate.size());
                if (closest < 0 || distance < best || distance == best && ref.size() < closest) {
                    closest = ref.size();
                }
            }
            candidateLength += candidate.size();
            referenceLength += closest;
            List<Map<String, Integer>> counts = NGrams.count(candidate, N);
            for (int k = 0; k < N; k++) {
                guess[k] += Math.max(0, candidate.size() - k);
                for (Map.Entry<String, Integer> e : counts.get(k).entrySet()) {
                    correct[k] += Math.min(maxCounts.getOrDefault(e.getKey(), 0), e.getValue());
                }
            }
        }
        double ratio = (candidateLength + TINY) / (referenceLength + SMALL);
        double brevity = ratio < 1 ? Math.exp(1 - 1 / ratio) : 1;
        double[] bleu = new double[N];
        double product = 1;
        for (int n = 1; n <= N; n++) {
            product *= (correct[n - 1] + TINY) / (guess[n - 1] + SMALL);
            bleu[n - 1] = Math.pow(product, 1.0 / n) * brevity;
        }
        return bleu;
    }
}
