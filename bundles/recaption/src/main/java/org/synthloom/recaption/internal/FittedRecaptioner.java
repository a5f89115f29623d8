package org.synthloom.recaption.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.Recaptioner;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.models.nn.AttentionMasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The fitted {@code clips} recaptioner: decodes a new caption for each sample from its VQ tokens
 * and its first caption (the web caption), a token per step until the end token or
 * {@code max.length} tokens, greedily (temperature 0) or sampled at a temperature with a random
 * stream per sample (seeded by the request's seed and the sample's id, so the answer does not
 * depend on batching). Pad and start tokens are never written. A caption that decodes to blank
 * text is replaced by the web caption (counted in a warning), since the contract wants a caption
 * per sample.
 */
final class FittedRecaptioner implements Recaptioner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FittedRecaptioner.class);

    private final String version;
    private final RecaptionBlock block;
    private final NDManager parameters;
    private final Tokenizer tokenizer;
    private final int maxLength;
    private final double temperature;
    private final int decodeBatch;

    /**
     * @param version the bundle's version, for provenance
     * @param block the trained model
     * @param parameters the manager its parameters live in, closed with this instance
     * @param tokenizer the pipeline's text tokenizer
     * @param maxLength most tokens written (start and end not counted)
     * @param temperature 0 for greedy decoding
     * @param decodeBatch samples per forward pass
     */
    FittedRecaptioner(String version, RecaptionBlock block, NDManager parameters, Tokenizer tokenizer, int maxLength,
            double temperature, int decodeBatch) {
        this.version = version;
        this.block = block;
        this.parameters = parameters;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.temperature = temperature;
        this.decodeBatch = decodeBatch;
    }

    @Override
    public List<Caption> recaption(List<Sample> samples, long seed) throws GenerationException {
        List<Caption> out = new ArrayList<>(samples.size());
        int[] blank = {0};
        for (int from = 0; from < samples.size(); from += decodeBatch) {
            List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + decodeBatch));
            out.addAll(decode(chunk, seed, blank));
        }
        if (blank[0] > 0) {
            LOG.warn("{}: {} of {} rewritten captions were blank and keep the web caption", ClipsRecaptioner.NAME,
                    blank[0], samples.size());
        }
        return out;
    }

    private List<Caption> decode(List<Sample> samples, long seed, int[] blank) throws GenerationException {
        RecaptionBlock.Architecture a = block.architecture();
        int b = samples.size();
        int n = a.imageTokens();
        int context = a.captionContext();
        int[] image = new int[b * n];
        int[] web = new int[b * context];
        int[] webMask = new int[b * context];
        SplittableRandom[] randoms = new SplittableRandom[b];
        for (int i = 0; i < b; i++) {
            Sample sample = samples.get(i);
            TokenGrid grid;
            try {
                grid = Examples.tokens(sample);
            } catch (IllegalArgumentException e) {
                throw new GenerationException(e.getMessage());
            }
            if (grid.ids().length != n || grid.codebookSize() != a.codebookSize()) {
                throw new GenerationException(ClipsRecaptioner.NAME + ": sample " + sample.id() + " has "
                        + grid.ids().length + " VQ tokens of a codebook of " + grid.codebookSize() + ", the model learnt "
                        + n + " of " + a.codebookSize());
            }
            if (sample.captions().isEmpty()) {
                throw new GenerationException(ClipsRecaptioner.NAME + ": sample " + sample.id()
                        + " has no caption to rewrite");
            }
            System.arraycopy(grid.ids(), 0, image, i * n, n);
            Examples.write(tokenizer, tokenizer.encode(sample.captions().get(0).text()), web, webMask, i, context);
            randoms[i] = new SplittableRandom(seed ^ (sample.id().hashCode() * 0x9E3779B97F4A7C15L));
        }
        int steps = Math.min(maxLength + 1, context - 1);
        List<List<Integer>> written = new ArrayList<>();
        boolean[] done = new boolean[b];
        for (int i = 0; i < b; i++) {
            written.add(new ArrayList<>());
        }
        // Forbidding pad and start: their logits are pushed to the blocked value.
        float[] forbid = new float[a.vocabularySize()];
        forbid[tokenizer.padId()] = AttentionMasks.BLOCKED;
        forbid[tokenizer.startId()] = AttentionMasks.BLOCKED;
        long[] generated = new long[b * (steps)];
        int remaining = b;
        for (int step = 0; step < steps && remaining > 0; step++) {
            int length = step + 1;
            // Every step's arrays live in its own manager: the results of the operations go with the inputs.
            try (NDManager m = parameters.newSubManager()) {
                long[] next = null;
                if (step < steps - 1) {
                    long[] prefix = new long[b * length];
                    for (int i = 0; i < b; i++) {
                        prefix[i * length] = tokenizer.startId();
                        System.arraycopy(generated, i * steps, prefix, i * length + 1, length - 1);
                    }
                    NDArray logits = block.logits(new ParameterStore(m, false), m.create(image, new Shape(b, n)),
                            m.create(web, new Shape(b, context)), m.create(webMask, new Shape(b, context)),
                            m.create(prefix, new Shape(b, length)), false).get(new NDIndex(":, -1"))
                            .add(m.create(forbid));
                    next = choose(logits, randoms);
                }
                for (int i = 0; i < b; i++) {
                    if (done[i]) {
                        continue;
                    }
                    // The last step ends every caption: it is as long as it may be.
                    long token = next == null ? tokenizer.endId() : next[i];
                    generated[i * steps + step] = token;
                    if (token == tokenizer.endId()) {
                        done[i] = true;
                        remaining--;
                    } else {
                        written.get(i).add((int) token);
                    }
                }
            }
        }
        List<Caption> out = new ArrayList<>(b);
        Provenance provenance = Provenance.synthetic(ClipsRecaptioner.NAME, version, seed);
        for (int i = 0; i < b; i++) {
            int[] ids = written.get(i).stream().mapToInt(Integer::intValue).toArray();
            String text = tokenizer.decode(ids).trim();
            if (text.isBlank()) {
                blank[0]++;
                text = samples.get(i).captions().get(0).text();
            }
            out.add(new Caption(text, provenance));
        }
        return out;
    }

    /** The next token of every row: the most likely one, or one drawn at the temperature. */
    private long[] choose(NDArray logits, SplittableRandom[] randoms) {
        if (temperature == 0) {
            return logits.argMax(1).toLongArray();
        }
        long v = logits.getShape().get(1);
        float[] p = logits.div((float) temperature).softmax(1).toFloatArray();
        long[] next = new long[randoms.length];
        for (int i = 0; i < randoms.length; i++) {
            double u = randoms[i].nextDouble();
            double cumulative = 0;
            int token = (int) v - 1;
            for (int k = 0; k < v; k++) {
                cumulative += p[(int) (i * v + k)];
                if (u < cumulative) {
                    token = k;
                    break;
                }
            }
            next[i] = token;
        }
        return next;
    }

    @Override
    public void close() {
        parameters.close();
    }
}
