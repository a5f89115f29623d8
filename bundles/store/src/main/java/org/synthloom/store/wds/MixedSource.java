package org.synthloom.store.wds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Mixes several streams by weight: each sample comes from stream i with probability
 * {@code weight[i] / sum(weights)}, e.g. human and synthetic data at a chosen ratio. A finite stream
 * that ends drops out and the others share its weight; the mix ends when all have ended. The
 * choice sequence is a pure function of the seed.
 */
public final class MixedSource implements RawSampleSource {

    private final List<RawSampleSource> sources;
    private final List<Double> weights;
    private final SplittableRandom random;

    /**
     * @param sources the streams (closed with the mix)
     * @param weights non-negative weights, one per stream, not all zero
     * @param seed the seed
     */
    public MixedSource(List<RawSampleSource> sources, double[] weights, long seed) {
        if (sources.size() != weights.length || sources.isEmpty()) {
            throw new IllegalArgumentException(sources.size() + " sources but " + weights.length + " weights");
        }
        double total = 0;
        for (double w : weights) {
            if (w < 0 || Double.isNaN(w)) {
                throw new IllegalArgumentException("weights must not be negative: " + w);
            }
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("at least one weight must be positive");
        }
        this.sources = new ArrayList<>();
        this.weights = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                this.sources.add(sources.get(i));
                this.weights.add(weights[i]);
            }
        }
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Optional<RawSample> next() throws IOException {
        while (!sources.isEmpty()) {
            int pick = pick();
            Optional<RawSample> sample = sources.get(pick).next();
            if (sample.isPresent()) {
                return sample;
            }
            sources.remove(pick).close();
            weights.remove(pick);
        }
        return Optional.empty();
    }

    private int pick() {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < weights.size(); i++) {
            r -= weights.get(i);
            if (r < 0) {
                return i;
            }
        }
        return weights.size() - 1;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (RawSampleSource source : sources) {
            try {
                source.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        sources.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
