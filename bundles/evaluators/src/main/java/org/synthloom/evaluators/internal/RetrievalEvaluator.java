package org.synthloom.evaluators.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.api.train.Evaluator;

/**
 * The {@code retrieval} evaluator: embeds each sample's image and its first caption, then
 * measures image-to-text and text-to-image Recall@1, @5 and @10, the match of image {@code i}
 * being caption {@code i}.
 *
 * <p>Each batch is the samples reduced to their first caption, through
 * {@link EvaluationContext#toBatch} and one {@link EvaluationContext#forward}; it reads
 * {@code image_embeds} and {@code text_embeds} and L2-normalises them, so similarity is cosine.
 * Samples without a caption are skipped and counted. Metrics: {@code image_to_text_R@K},
 * {@code text_to_image_R@K} for K = 1, 5, 10, {@code retrieval_samples} and
 * {@code retrieval_skipped}; with no usable sample only the counts are reported.
 */
@Component(service = Evaluator.class, configurationPid = RetrievalEvaluator.PID)
@SynthloomPlugin(kind = Evaluator.KIND, name = RetrievalEvaluator.NAME)
@Designate(ocd = RetrievalConfig.class)
public class RetrievalEvaluator implements Evaluator {

    static final String NAME = "retrieval";
    static final String PID = "org.synthloom.evaluators.retrieval";
    static final int[] KS = {1, 5, 10};

    private final String split;
    private final int batchSize;
    private final int limit;

    /**
     * @param config split, batch size and limit
     * @throws IllegalArgumentException if the batch size or limit is not positive
     */
    @Activate
    public RetrievalEvaluator(RetrievalConfig config) {
        this.split = Checks.notBlank(PID, "split", config.split());
        this.batchSize = Checks.positive(PID, "batch.size", config.batch_size());
        this.limit = Checks.positive(PID, "limit", config.limit());
    }

    /** @return the model outputs it reads */
    @Override
    public java.util.Set<String> requires() {
        return java.util.Set.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS);
    }

    @Override
    public EvaluationResult evaluate(EvaluationContext context) throws IOException {
        List<float[]> images = new ArrayList<>();
        List<float[]> texts = new ArrayList<>();
        int skipped = 0;
        try (SampleSource source = context.open(split)) {
            List<Sample> batch = new ArrayList<>(batchSize);
            while (images.size() + batch.size() < limit) {
                Optional<Sample> next = source.next();
                if (next.isEmpty()) {
                    break;
                }
                Sample sample = next.get();
                if (sample.captions().isEmpty()) {
                    skipped++;
                    continue;
                }
                // Only the first caption, whatever caption the engine would pick for training.
                batch.add(sample.toBuilder().captions(List.of(sample.captions().get(0))).build());
                if (batch.size() == batchSize) {
                    embed(context, batch, images, texts);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                embed(context, batch, images, texts);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> details = new LinkedHashMap<>();
        if (!images.isEmpty()) {
            float[][] similarity = similarity(images, texts);
            double[] imageToText = recallAtK(similarity, KS, false);
            double[] textToImage = recallAtK(similarity, KS, true);
            for (int k = 0; k < KS.length; k++) {
                metrics.put("image_to_text_R@" + KS[k], imageToText[k]);
            }
            for (int k = 0; k < KS.length; k++) {
                metrics.put("text_to_image_R@" + KS[k], textToImage[k]);
            }
        } else {
            details.put("retrieval", "no sample with a caption in split '" + split + "'");
        }
        metrics.put("retrieval_samples", (double) images.size());
        metrics.put("retrieval_skipped", (double) skipped);
        return new EvaluationResult(metrics, details);
    }

    private static void embed(EvaluationContext context, List<Sample> batch, List<float[]> images, List<float[]> texts) {
        // Read both outputs of one forward pass; the batch is moved into (and freed with) the scope.
        float[][][] both = Embeddings.forward(context, context.toBatch(batch), batch.size(),
                Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS);
        images.addAll(List.of(both[0]));
        texts.addAll(List.of(both[1]));
    }

    /** {@code s[i][j]} = image {@code i} . text {@code j}. */
    private static float[][] similarity(List<float[]> images, List<float[]> texts) {
        int n = images.size();
        float[][] s = new float[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = Embeddings.dot(images.get(i), texts.get(j));
            }
        }
        return s;
    }

    /**
     * Recall@K of a square similarity matrix whose correct matches lie on the diagonal.
     *
     * <p>The rank of a query's match is the number of other candidates scoring at least as high as
     * it: ties are resolved against the match, so a tie never counts as a hit unless the match is
     * still within the top K after every tied candidate is placed before it. A NaN score of the
     * match ranks it last. A hit at K is a rank below K.
     *
     * @param similarity {@code n x n}; rows are images, columns texts
     * @param ks the cut-offs, e.g. {1, 5, 10}
     * @param byColumn {@code false}: rows are the queries (image to text); {@code true}: columns
     *     are (text to image)
     * @return the fraction of queries with a hit, for each K in order
     * @throws IllegalArgumentException if the matrix is empty or not square
     */
    static double[] recallAtK(float[][] similarity, int[] ks, boolean byColumn) {
        int n = similarity.length;
        if (n == 0) {
            throw new IllegalArgumentException("empty similarity matrix");
        }
        for (float[] row : similarity) {
            if (row.length != n) {
                throw new IllegalArgumentException("similarity matrix is not square: " + n + " x " + row.length);
            }
        }
        int[] hits = new int[ks.length];
        for (int q = 0; q < n; q++) {
            float match = similarity[q][q];
            int rank = 0;
            for (int c = 0; c < n; c++) {
                float score = byColumn ? similarity[c][q] : similarity[q][c];
                // !(score < match) also counts every candidate when the match is NaN.
                if (c != q && !(score < match)) {
                    rank++;
                }
            }
            for (int k = 0; k < ks.length; k++) {
                hits[k] += rank < ks[k] ? 1 : 0;
            }
        }
        double[] recall = new double[ks.length];
        for (int k = 0; k < ks.length; k++) {
            recall[k] = hits[k] / (double) n;
        }
        return recall;
    }
}
