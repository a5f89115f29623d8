package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D exactly as pycocoevalcap's {@code Cider} scorer computes it: n-grams of orders 1 to 4
 * weighted by TF-IDF, with document frequencies counted over the reference sets of the evaluated
 * images (an n-gram counts once per image) and {@code idf = log(images) - log(max(1, df))}; per
 * order the cosine similarity of candidate and reference vectors with the candidate's weights
 * clipped at the reference's ({@code min(c, r) * r}), times the Gaussian length penalty
 * {@code exp(-(lc - lr)^2 / (2 sigma^2))}, sigma = 6, where a sentence's length is, as in
 * pycocoevalcap, its number of bigrams; the score of an image is the mean over orders of the sum
 * over references, divided by the number of references, times 10; the corpus score is the mean
 * over images.
 */
final class CiderD {

    /** The largest n-gram order. */
    static final int N = 4;
    /** The standard deviation of the length penalty. */
    static final double SIGMA = 6.0;

    /**
     * @param corpus the mean over images
     * @param perImage each image's score, in input order
     */
    record Score(double corpus, double[] perImage) {}

    /** A sentence's TF-IDF weights per order, their norms, and its pycocoevalcap length. */
    private record Vector(List<Map<String, Double>> weights, double[] norms, int length) {}

    private CiderD() {}

    /**
     * @param candidates one tokenised candidate per image
     * @param references the tokenised references of each image, at least one each
     * @return the corpus score and the score of each image
     * @throws IllegalArgumentException if the lists differ in length, are empty, or an image has
     *     no reference
     */
    static Score score(List<List<String>> candidates, List<List<List<String>>> references) {
        Checks.sameNonEmpty(candidates, references);
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (List<List<String>> refs : references) {
            Set<String> seen = new HashSet<>();
            for (List<String> ref : refs) {
                NGrams.count(ref, N).forEach(order -> seen.addAll(order.keySet()));
            }
            seen.forEach(gram -> documentFrequency.merge(gram, 1, Integer::sum));
        }
        double logImages = Math.log(candidates.size());
        double[] scores = new double[candidates.size()];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            Vector candidate = vector(candidates.get(i), documentFrequency, logImages);
            double[] perOrder = new double[N];
            List<List<String>> refs = references.get(i);
            for (List<String> ref : refs) {
                Vector reference = vector(ref, documentFrequency, logImages);
                double delta = candidate.length - reference.length;
                double penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
                for (int k = 0; k < N; k++) {
                    perOrder[k] += similarity(candidate, reference, k) * penalty;
                }
            }
            double mean = 0;
            for (double value : perOrder) {
                mean += value;
            }
            scores[i] = mean / N / refs.size() * 10.0;
            sum += scores[i];
        }
        return new Score(sum / scores.length, scores);
    }

    /** Clipped cosine similarity of order {@code k}; 0 when either vector of that order is zero. */
    private static double similarity(Vector candidate, Vector reference, int k) {
        double dot = 0;
        Map<String, Double> referenceWeights = reference.weights.get(k);
        for (Map.Entry<String, Double> e : candidate.weights.get(k).entrySet()) {
            double w = referenceWeights.getOrDefault(e.getKey(), 0.0);
            dot += Math.min(e.getValue(), w) * w;
        }
        if (candidate.norms[k] != 0 && reference.norms[k] != 0) {
            dot /= candidate.norms[k] * reference.norms[k];
        }
        return dot;
    }

    private static Vector vector(List<String> words, Map<String, Integer> documentFrequency, double logImages) {
        List<Map<String, Integer>> counts = NGrams.count(words, N);
        List<Map<String, Double>> weights = new ArrayList<>(N);
        double[] norms = new double[N];
        for (int k = 0; k < N; k++) {
            Map<String, Double> order = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : counts.get(k).entrySet()) {
                double df = Math.log(Math.max(1.0, documentFrequency.getOrDefault(e.getKey(), 0)));
                double weight = e.getValue() * (logImages - df);
                order.put(e.getKey(), weight);
                norms[k] += weight * weight;
            }
            weights.add(order);
            norms[k] = Math.sqrt(norms[k]);
        }
        // pycocoevalcap counts a sentence's length as its number of bigrams.
        int length = 0;
        for (int count : counts.get(1).values()) {
            length += count;
        }
        return new Vector(weights, norms, length);
    }
}
