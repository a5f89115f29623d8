package org.synthloom.evaluators.internal;

import org.synthloom.testkit.Configs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Sample;
import org.synthloom.api.train.EvaluationResult;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

class RetrievalEvaluatorTest {

    private static final List<String> CLASSES = List.of("red", "green", "blue", "yellow", "purple", "orange", "black",
            "white", "circle", "square", "star", "heart");
    private static final int N = CLASSES.size();

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void recallCountsHowManyCandidatesScoreAtLeastAsHighAsTheMatch() {
        float[][] s = {
            {0.9f, 0.1f, 0.2f, 0.3f}, // match first: rank 0
            {0.5f, 0.4f, 0.6f, 0.1f}, // two above: rank 2
            {0.7f, 0.7f, 0.7f, 0.1f}, // two tied: rank 2
            {0.8f, 0.9f, 0.95f, 0.1f}, // three above: rank 3
        };
        int[] ks = {1, 2, 3, 4};
        assertArrayEquals(new double[] {0.25, 0.25, 0.75, 1.0}, RetrievalEvaluator.recallAtK(s, ks, false));
        // Columns: ranks 0 (0.9 top), 2 (0.7 and 0.9 above 0.4), 1 (0.95 above 0.7), 3 (0.3 above, two ties at 0.1).
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0}, RetrievalEvaluator.recallAtK(s, ks, true));
    }

    @Test
    void aTieOrANaNIsNeverAHitAtOne() {
        float[][] tied = {{0.5f, 0.5f}, {0.5f, 0.5f}};
        assertArrayEquals(new double[] {0, 1}, RetrievalEvaluator.recallAtK(tied, new int[] {1, 2}, false));
        // A NaN match ranks last: behind both others at K = 2, and a hit only when K covers everything.
        float[][] nan = {{Float.NaN, 0f, -1f}, {0f, 1f, 0f}, {0f, 0f, 1f}};
        assertArrayEquals(new double[] {2 / 3.0, 2 / 3.0, 1}, RetrievalEvaluator.recallAtK(nan, new int[] {1, 2, 3}, false));
        assertThrows(IllegalArgumentException.class,
                () -> RetrievalEvaluator.recallAtK(new float[][] {{1, 2}}, new int[] {1}, false));
    }

    @Test
    void aPerfectModelRecallsEverythingAcrossBatchesWithTheFirstCaption() throws Exception {
        FakeContext context = context(FakeContext.perfect(N));
        EvaluationResult result = evaluator(Map.of("batch_size", 5)).evaluate(context);
        assertEquals(Map.of("image_to_text_R@1", 1.0, "image_to_text_R@5", 1.0, "image_to_text_R@10", 1.0,
                "text_to_image_R@1", 1.0, "text_to_image_R@5", 1.0, "text_to_image_R@10", 1.0,
                "retrieval_samples", 12.0, "retrieval_skipped", 1.0), result.metrics());
        assertEquals(List.of(5, 5, 2), context.imageBatchSizes);
        assertEquals(List.of("test"), context.splits);
        assertEquals(List.of(), manager.getManagedArrays(), "batches and outputs are freed as the evaluation goes");
    }

    @Test
    void aModelThatConfusesEachImageWithTheNextClassHitsAtFiveNotAtOne() throws Exception {
        // Image of class c: 2 e_{c+1} + e_c, so caption c+1 ranks first and the match second.
        EvaluationResult result = evaluator(Map.of()).evaluate(context(c -> {
            float[] v = FakeContext.oneHot(N, c);
            v[(c + 1) % N] = 2;
            return v;
        }));
        assertRecalls(result, new double[] {0, 1, 1}, new double[] {0, 1, 1});
    }

    @Test
    void aModelThatCollapsesSixClassesLosesThemInBothDirectionsDifferently() throws Exception {
        // Classes 1..6 all embed as e_1. Image to text: image 1 still hits; images 2..6 score 0
        // against their caption, tied with 10 others (rank 11). Text to image: caption 1 ties with
        // five images (rank 5: a hit at 10 only); captions 2..6 score 0 everywhere.
        EvaluationResult result = evaluator(Map.of()).evaluate(context(c -> FakeContext.oneHot(N, c >= 1 && c <= 6 ? 1 : c)));
        assertRecalls(result, new double[] {7 / 12.0, 7 / 12.0, 7 / 12.0}, new double[] {6 / 12.0, 6 / 12.0, 7 / 12.0});
    }

    @Test
    void theLimitAndTheSplitAreHonoured() throws Exception {
        FakeContext context = context(FakeContext.perfect(N));
        EvaluationResult result = evaluator(Map.of("limit", 8, "split", "val", "batch_size", 3)).evaluate(context);
        assertEquals(8.0, result.metrics().get("retrieval_samples"));
        assertEquals(1.0, result.metrics().get("image_to_text_R@1"));
        assertEquals(List.of(3, 3, 2), context.imageBatchSizes);
        assertEquals(List.of("val"), context.splits);
        assertThrows(IllegalArgumentException.class, () -> evaluator(Map.of("batch_size", 0)));
    }

    private static void assertRecalls(EvaluationResult result, double[] imageToText, double[] textToImage) {
        for (int k = 0; k < 3; k++) {
            int K = RetrievalEvaluator.KS[k];
            assertEquals(imageToText[k], result.metrics().get("image_to_text_R@" + K), 1e-12, "image_to_text_R@" + K);
            assertEquals(textToImage[k], result.metrics().get("text_to_image_R@" + K), 1e-12, "text_to_image_R@" + K);
        }
        assertEquals(12.0, result.metrics().get("retrieval_samples"));
    }

    private static RetrievalEvaluator evaluator(Map<String, Object> config) {
        return new RetrievalEvaluator(Configs.of(RetrievalConfig.class, config));
    }

    /**
     * Sample i shows class i; its first caption names it, its second names the next class (a
     * retrieval by the second caption would miss everything). One sample has no caption.
     */
    private FakeContext context(IntFunction<float[]> imageEmbedding) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            samples.add(FakeContext.sample("s" + i, CLASSES, List.of(CLASSES.get(i)), "a " + CLASSES.get(i) + " thing",
                    "a " + CLASSES.get((i + 1) % N) + " thing"));
            if (i == 3) {
                samples.add(FakeContext.sample("uncaptioned", CLASSES, List.of(CLASSES.get(0))));
            }
        }
        return new FakeContext(manager, CLASSES, samples, imageEmbedding);
    }
}
