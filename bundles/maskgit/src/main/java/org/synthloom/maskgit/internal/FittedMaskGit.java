package org.synthloom.maskgit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.batch.BatchBuilder;
import org.synthloom.imageio.ResizeMode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The fitted generator: iterative parallel decoding of token grids from captions.
 *
 * <p>Every grid starts fully masked. At step {@code t} of {@code T} the model predicts all image
 * positions at once; a code is sampled at each masked position ({@code softmax(logits / temperature)},
 * by the Gumbel-max trick), every masked position takes its sample, and the {@code floor(N
 * gamma((t + 1) / T))} least confident of them (log-probability of the sample plus Gumbel noise
 * scaled by {@code confidence.noise * (1 - (t + 1) / T)}) are masked again; after the last step none
 * is. With guidance {@code w > 0} the logits are {@code (1 + w) cond - w uncond}, {@code uncond}
 * being the model's answer for the empty caption. All noise comes from a {@link SplittableRandom}
 * per sample seeded from the request's seed and the sample's index, so a sample's grid does not
 * depend on what else was in its batch.
 */
final class FittedMaskGit implements ImageGenerator {

    /** Samples decoded together: bounds the logits tensor ({@code 2 * CHUNK * N * K} floats with guidance). */
    static final int CHUNK = 64;

    private final MaskGitBlock model;
    private final Settings settings;
    private final BatchBuilder captions;
    private final String codebook;
    private final ImageTokenizer imageTokenizer;
    private final String version;
    private final String identity;

    /**
     * @param model the trained model
     * @param settings decoding settings and output space
     * @param tokenizer the pipeline's text tokenizer, which the model was trained with
     * @param codebook identity of the codebook of the grids it learnt from
     * @param imageTokenizer the pipeline's fitted image tokenizer (required for pixel output), or null
     * @param version the bundle's version, for provenance
     * @param identity the fitted model's identity (name, version, parameter hash)
     */
    FittedMaskGit(MaskGitBlock model, Settings settings, Tokenizer tokenizer, String codebook,
            ImageTokenizer imageTokenizer, String version, String identity) {
        if (settings.output() == ImageSpace.PIXELS && imageTokenizer == null) {
            throw new IllegalStateException(MaskGit.PID + ": output pixels needs the pipeline's image tokenizer to decode"
                    + " token grids, and the fit context has none");
        }
        this.model = model;
        this.settings = settings;
        this.captions = textBatches(tokenizer, model.dims().context());
        this.codebook = codebook;
        this.imageTokenizer = imageTokenizer;
        this.version = version;
        this.identity = identity;
    }

    /** @return a batch builder that tokenises captions exactly as the engine does for training */
    static BatchBuilder textBatches(Tokenizer tokenizer, int context) {
        return new BatchBuilder(tokenizer, List.of(), 1, ResizeMode.CENTER_CROP, context, false, false, 0);
    }

    /** @return the trained model */
    MaskGitBlock model() {
        return model;
    }

    /** @return the fitted model's identity: name, version and the hash of its parameters */
    String identity() {
        return identity;
    }

    /** @return the codebook identity of the grids it emits */
    String codebook() {
        return codebook;
    }

    @Override
    public ImageSpace outputSpace() {
        return settings.output();
    }

    @Override
    public List<Sample> generate(ImageRequest request, NDManager manager) throws GenerationException {
        List<GeneratedCaption> wanted = request.captions();
        int perCaption = request.imagesPerCaption();
        int total = wanted.size() * perCaption;
        List<Sample> out = new ArrayList<>(total);
        for (int start = 0; start < total; start += CHUNK) {
            int end = Math.min(total, start + CHUNK);
            List<String> texts = new ArrayList<>(end - start);
            long[] seeds = new long[end - start];
            for (int s = start; s < end; s++) {
                texts.add(wanted.get(s / perCaption).caption().text());
                seeds[s - start] = sampleSeed(request.seed(), s);
            }
            int[][] grids;
            try (NDManager scope = manager.newSubManager()) {
                grids = decode(texts, seeds, scope, null);
            } catch (RuntimeException e) {
                throw new GenerationException(MaskGit.NAME + " could not decode token grids: " + e, e);
            }
            List<TokenGrid> tokens = new ArrayList<>(grids.length);
            int side = model.dims().grid();
            for (int[] ids : grids) {
                tokens.add(new TokenGrid(side, side, ids, codebook, model.dims().codebookSize()));
            }
            List<ImagePixels> pixels = null;
            if (settings.output() == ImageSpace.PIXELS) {
                // The pixel path Synth2 compares against: decode to pixels, then re-encode them to tokens.
                try (NDManager scope = manager.newSubManager()) {
                    pixels = imageTokenizer.decode(tokens, scope);
                    tokens = imageTokenizer.encode(pixels, scope);
                } catch (RuntimeException e) {
                    throw new GenerationException(MaskGit.NAME + " could not decode its token grids to pixels with the"
                            + " pipeline's image tokenizer: " + e, e);
                }
            }
            for (int s = start; s < end; s++) {
                GeneratedCaption caption = wanted.get(s / perCaption);
                long seed = seeds[s - start];
                Sample.Builder b = Sample.builder("maskgit-" + Long.toHexString(seed)).tokens(tokens.get(s - start))
                        .imageProvenance(Provenance.synthetic(MaskGit.NAME, version, seed)).caption(caption.caption())
                        .label(caption.concept().name());
                if (pixels != null) {
                    b.pixels(pixels.get(s - start));
                }
                out.add(b.build());
            }
        }
        return out;
    }

    /**
     * The seed of the {@code index}-th sample of a request (caption by caption, then image by
     * image): SplitMix64's finaliser over both, so that neighbouring indices get unrelated streams.
     */
    static long sampleSeed(long requestSeed, int index) {
        return mix(mix(requestSeed) + 0x9E3779B97F4A7C15L * (index + 1L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Decodes one grid per caption.
     *
     * @param texts the captions
     * @param seeds one seed per caption
     * @param scope where to allocate
     * @param trace if not null, receives after each step the number of positions still masked, per
     *     grid (counted in the grids; the schedule is the same for all)
     * @return the token ids of each grid, row-major
     */
    int[][] decode(List<String> texts, long[] seeds, NDManager scope, List<Integer> trace) {
        Dims dims = model.dims();
        int b = texts.size();
        int n = dims.tokens();
        int k = dims.codebookSize();
        int steps = settings.decodingSteps();
        double w = settings.guidance();
        boolean guided = w > 0;
        NDList conditional = captions.texts(texts).toNDList(scope, scope.getDevice());
        NDArray captionTokens = conditional.get(Fields.TEXT_TOKENS);
        NDArray captionMask = conditional.get(Fields.TEXT_MASK);
        if (guided) {
            NDList empty = captions.texts(Collections.nCopies(b, "")).toNDList(scope, scope.getDevice());
            captionTokens = captionTokens.concat(empty.get(Fields.TEXT_TOKENS), 0);
            captionMask = captionMask.concat(empty.get(Fields.TEXT_MASK), 0);
        }
        SplittableRandom[] random = new SplittableRandom[b];
        for (int i = 0; i < b; i++) {
            random[i] = new SplittableRandom(seeds[i]);
        }
        int[] ids = new int[b * n];
        Arrays.fill(ids, dims.maskId());
        int masked = n;
        ParameterStore store = new ParameterStore(scope, false);
        for (int t = 0; t < steps && masked > 0; t++) {
            long[] sampled;
            float[] logProbability;
            try (NDManager step = scope.newSubManager()) {
                NDArray current = step.create(ids, new Shape(b, n));
                NDArray logits = model.logits(store, guided ? current.concat(current, 0) : current, captionTokens,
                        captionMask, false);
                if (guided) {
                    NDArray cond = logits.get(new NDIndex().addSliceDim(0, b));
                    NDArray uncond = logits.get(new NDIndex().addSliceDim(b, 2L * b));
                    logits = cond.mul((float) (1 + w)).sub(uncond.mul((float) w));
                }
                NDArray choice;
                NDArray logp;
                if (settings.temperature() > 0) {
                    logp = logits.div((float) settings.temperature()).logSoftmax(2);
                    choice = logp.add(step.create(gumbel(random, ids, dims), new Shape(b, n, k))).argMax(2);
                } else {
                    logp = logits.logSoftmax(2);
                    choice = logp.argMax(2);
                }
                sampled = choice.toLongArray();
                logProbability = logp.gather(choice.expandDims(2), 2).squeeze(2).toFloatArray();
            }
            int after = settings.schedule().maskedAfter(t, steps, n, masked);
            double noise = settings.confidenceNoise() * (1 - (t + 1) / (double) steps);
            for (int i = 0; i < b; i++) {
                keepConfident(ids, i * n, n, dims.maskId(), sampled, logProbability, noise, after, random[i]);
            }
            masked = after;
            if (trace != null) {
                int still = 0;
                for (int id : ids) {
                    still += id == dims.maskId() ? 1 : 0;
                }
                trace.add(still / b);
            }
        }
        int[][] grids = new int[b][];
        for (int i = 0; i < b; i++) {
            grids[i] = Arrays.copyOfRange(ids, i * n, (i + 1) * n);
        }
        return grids;
    }

    /**
     * Gumbel noise for sampling, drawn at the masked positions of each grid from that grid's own
     * stream (0 elsewhere: those predictions are discarded).
     */
    private static float[] gumbel(SplittableRandom[] random, int[] ids, Dims dims) {
        int n = dims.tokens();
        int k = dims.codebookSize();
        float[] noise = new float[ids.length * k];
        for (int p = 0; p < ids.length; p++) {
            if (ids[p] == dims.maskId()) {
                SplittableRandom r = random[p / n];
                for (int c = 0, o = p * k; c < k; c++) {
                    noise[o + c] = gumbel(r);
                }
            }
        }
        return noise;
    }

    private static float gumbel(SplittableRandom r) {
        // u in (0, 1): never 0, so the logarithms stay finite.
        double u = (r.nextLong() >>> 11) * 0x1.0p-53 + 0x1.0p-54;
        return (float) -Math.log(-Math.log(u));
    }

    /**
     * One grid's step: every masked position takes its sampled code, then the {@code after} least
     * confident of them are masked again.
     */
    private static void keepConfident(int[] ids, int offset, int n, int maskId, long[] sampled, float[] logProbability,
            double noise, int after, SplittableRandom random) {
        int count = 0;
        int[] positions = new int[n];
        double[] confidence = new double[n];
        for (int p = 0; p < n; p++) {
            if (ids[offset + p] == maskId) {
                positions[count] = p;
                confidence[count] = logProbability[offset + p] + (noise > 0 ? noise * gumbel(random) : 0);
                count++;
                ids[offset + p] = (int) sampled[offset + p];
            }
        }
        Integer[] order = new Integer[count];
        for (int j = 0; j < count; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(confidence[x], confidence[y]));
        for (int j = 0; j < after && j < count; j++) {
            ids[offset + positions[order[j]]] = maskId;
        }
    }
}
