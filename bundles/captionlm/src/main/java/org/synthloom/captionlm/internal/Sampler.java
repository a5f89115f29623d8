package org.synthloom.captionlm.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.synthloom.api.model.Tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Autoregressive sampling from the caption language model, many captions per forward pass.
 *
 * <p>Each caption ("row") starts as {@code [class token][start]} and grows by one token per step
 * until it samples the end token or reaches the maximum length. Without a KV cache every step runs
 * the model over the whole prefix (the contexts are short); on the Java side a step allocates only
 * the new column of ids and the rows' probabilities, so the Java work stays linear in the length.
 *
 * <p>Each row draws from its own {@link SplittableRandom}, created from the row's seed, exactly
 * one number per step: a row's caption depends on its seed and class only, not on which rows share
 * its forward pass. Sampling: logits divided by the temperature, softmax, then the nucleus (the
 * fewest most likely tokens whose probability reaches {@code topP} of the total, the most likely
 * always included; equal probabilities ordered by id); temperature 0 takes the most likely token.
 * The pad and start tokens are never sampled.
 */
final class Sampler {

    /** How to sample; validated by the component. */
    record Settings(double temperature, double topP, int maxLength, int dedupRetries, int batch) {}

    private final CaptionLmBlock block;
    private final NDManager parameters;
    private final Tokenizer tokenizer;
    private final Settings settings;

    /**
     * @param block the trained model
     * @param parameters a manager on the device of the model's parameters, outliving this sampler
     * @param tokenizer the tokenizer the model was trained with
     * @param settings temperature, top-p, lengths
     */
    Sampler(CaptionLmBlock block, NDManager parameters, Tokenizer tokenizer, Settings settings) {
        this.block = block;
        this.parameters = parameters;
        this.tokenizer = tokenizer;
        this.settings = settings;
    }

    /**
     * @param classIds class index of each caption to sample
     * @param seeds the seed of each caption
     * @return the decoded, trimmed captions (possibly empty), in order
     */
    String[] sample(int[] classIds, long[] seeds) {
        String[] out = new String[classIds.length];
        for (int from = 0; from < classIds.length; from += settings.batch()) {
            int to = Math.min(classIds.length, from + settings.batch());
            sampleRows(Arrays.copyOfRange(classIds, from, to), Arrays.copyOfRange(seeds, from, to), out, from);
        }
        return out;
    }

    private void sampleRows(int[] classIds, long[] seeds, String[] out, int offset) {
        int n = classIds.length;
        int steps = Math.min(settings.maxLength(), block.context() - 1);
        int vocabulary = tokenizer.vocabularySize();
        int start = tokenizer.startId();
        int end = tokenizer.endId();
        int pad = tokenizer.padId();
        int[][] tokens = new int[n][steps];
        int[] lengths = new int[n];
        boolean[] done = new boolean[n];
        SplittableRandom[] random = new SplittableRandom[n];
        for (int r = 0; r < n; r++) {
            random[r] = new SplittableRandom(seeds[r]);
        }
        long[] keys = new long[vocabulary];
        long[] column = new long[n];
        int active = n;
        try (NDManager chunk = parameters.newSubManager()) {
            ParameterStore store = new ParameterStore(chunk, false);
            NDArray classes = chunk.create(Arrays.stream(classIds).asLongStream().toArray());
            Arrays.fill(column, start);
            NDArray prefix = chunk.create(column, new Shape(n, 1));
            for (int step = 0; step < steps && active > 0; step++) {
                float[] scores;
                try (NDManager scope = chunk.newSubManager()) {
                    // Everything the step computes goes with the step; the prefix and classes come back.
                    prefix.tempAttach(scope);
                    classes.tempAttach(scope);
                    NDArray logits = block.nextLogits(store, classes, prefix);
                    scores = (settings.temperature() == 0 ? logits
                            : logits.div((float) settings.temperature()).softmax(1)).toFloatArray();
                }
                for (int r = 0; r < n; r++) {
                    if (done[r]) {
                        column[r] = pad;
                        continue;
                    }
                    int token = settings.temperature() == 0 ? argMax(scores, r * vocabulary, vocabulary, pad, start)
                            : nucleus(scores, r * vocabulary, vocabulary, pad, start, end, random[r], keys);
                    column[r] = token;
                    if (token == end) {
                        done[r] = true;
                        active--;
                    } else {
                        tokens[r][lengths[r]++] = token;
                    }
                }
                if (active > 0 && step + 1 < steps) {
                    NDArray next = prefix.concat(chunk.create(column, new Shape(n, 1)), 1);
                    prefix.close();
                    prefix = next;
                }
            }
        }
        for (int r = 0; r < n; r++) {
            out[offset + r] = tokenizer.decode(Arrays.copyOf(tokens[r], lengths[r])).trim();
        }
    }

    /** The most likely token, the lowest id among equals; never pad or start. */
    static int argMax(float[] logits, int offset, int vocabulary, int pad, int start) {
        int best = -1;
        for (int v = 0; v < vocabulary; v++) {
            if (v != pad && v != start && (best < 0 || logits[offset + v] > logits[offset + best])) {
                best = v;
            }
        }
        return best;
    }

    /**
     * Draws from the nucleus of a probability row.
     *
     * @param probabilities rows of probabilities
     * @param offset where the row starts
     * @param vocabulary the row's length
     * @param pad never drawn
     * @param start never drawn
     * @param end returned if no other token has any probability
     * @param random one number is drawn
     * @param keys scratch space of at least {@code vocabulary} entries
     * @return the token
     */
    int nucleus(float[] probabilities, int offset, int vocabulary, int pad, int start, int end, SplittableRandom random,
            long[] keys) {
        double u = random.nextDouble();
        int m = 0;
        double total = 0;
        for (int v = 0; v < vocabulary; v++) {
            float p = probabilities[offset + v];
            if (p > 0 && v != pad && v != start) {
                // Positive floats order as their bits; the low half orders equal probabilities by id, lowest last.
                keys[m++] = ((long) Float.floatToRawIntBits(p) << 32) | (Integer.MAX_VALUE - v);
                total += p;
            }
        }
        if (m == 0) {
            return end;
        }
        Arrays.sort(keys, 0, m);
        double cut = settings.topP() * total;
        double mass = 0;
        int first = m - 1;
        for (; first >= 0; first--) {
            mass += probability(keys[first]);
            if (mass >= cut) {
                break;
            }
        }
        first = Math.max(first, 0);
        double target = u * mass;
        for (int k = m - 1; k > first; k--) {
            target -= probability(keys[k]);
            if (target < 0) {
                return token(keys[k]);
            }
        }
        return token(keys[first]);
    }

    private static float probability(long key) {
        return Float.intBitsToFloat((int) (key >>> 32));
    }

    private static int token(long key) {
        return Integer.MAX_VALUE - (int) (key & 0xFFFFFFFFL);
    }
}
