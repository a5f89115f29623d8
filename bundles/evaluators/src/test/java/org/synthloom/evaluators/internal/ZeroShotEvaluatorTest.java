package org.synthloom.evaluators.internal;

import org.synthloom.testkit.Configs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class ZeroShotEvaluatorTest {

    private static final List<String> CLASSES = List.of("red", "green", "blue", "yellow");

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
    void aPerfectModelClassifiesEveryLabelledSample() throws Exception {
        FakeContext context = context(FakeContext.perfect(4));
        EvaluationResult result = evaluator(Map.of("batch_size", 3)).evaluate(context);
        assertEquals(Map.of("zero_shot_accuracy", 1.0, "zero_shot_samples", 8.0, "zero_shot_skipped", 2.0, "chance", 0.25),
                result.metrics());
        // Every class in every template, in order, in prompt batches of 3; then images in batches of 3.
        assertEquals(List.of("a red", "a picture of a red", "a green", "a picture of a green", "a blue",
                "a picture of a blue", "a yellow", "a picture of a yellow"), context.tokenized);
        assertEquals(List.of(3, 3, 2), context.imageBatchSizes);
        assertEquals(3 + 3, context.forwards);
        assertEquals(List.of("test"), context.splits);
        assertEquals(List.of(), manager.getManagedArrays(), "batches and outputs are freed as the evaluation goes");
    }

    @Test
    void aModelThatSwapsTwoClassesGetsHalf() throws Exception {
        EvaluationResult result = evaluator(Map.of()).evaluate(context(c -> FakeContext.oneHot(4, c == 0 ? 1 : c == 1 ? 0 : c)));
        assertEquals(0.5, result.metrics().get("zero_shot_accuracy"));
        assertEquals(8.0, result.metrics().get("zero_shot_samples"));
        assertEquals("red 0.000 (0/2), green 0.000 (0/2), blue 1.000 (2/2), yellow 1.000 (2/2)",
                result.details().get("per_class_accuracy"));
    }

    @Test
    void aTieIsAMiss() throws Exception {
        // Image of class c scores c and c+1 equally; a collapsed model scores every class 0.
        EvaluationResult tied = evaluator(Map.of()).evaluate(context(c -> {
            float[] v = FakeContext.oneHot(4, c);
            v[(c + 1) % 4] = 1;
            return v;
        }));
        assertEquals(0.0, tied.metrics().get("zero_shot_accuracy"));
        EvaluationResult collapsed = evaluator(Map.of()).evaluate(context(c -> new float[4]));
        assertEquals(0.0, collapsed.metrics().get("zero_shot_accuracy"));
    }

    @Test
    void theLimitCountsClassifiedSamples() throws Exception {
        EvaluationResult result = evaluator(Map.of("limit", 5, "split", "val")).evaluate(context(FakeContext.perfect(4)));
        assertEquals(5.0, result.metrics().get("zero_shot_samples"));
        assertEquals(1.0, result.metrics().get("zero_shot_accuracy"));
    }

    @Test
    void unlabelledDataAndBadTemplatesAreRejected() {
        FakeContext unlabelled = new FakeContext(manager, List.of(), List.of(), FakeContext.perfect(1));
        assertThrows(IllegalStateException.class, () -> evaluator(Map.of()).evaluate(unlabelled));
        assertThrows(IllegalArgumentException.class,
                () -> evaluator(Map.of("templates", new String[] {"a photo"})));
        assertThrows(IllegalArgumentException.class, () -> evaluator(Map.of("templates", new String[0])));
    }

    @Test
    void noClassifiableSampleReportsCountsWithoutAccuracy() throws Exception {
        List<Sample> samples = List.of(FakeContext.sample("x", CLASSES, List.of("purple"), "a purple thing"));
        EvaluationResult result = evaluator(Map.of()).evaluate(new FakeContext(manager, CLASSES, samples,
                FakeContext.perfect(4)));
        assertFalse(result.metrics().containsKey("zero_shot_accuracy"));
        assertEquals(Map.of("zero_shot_samples", 0.0, "zero_shot_skipped", 1.0, "chance", 0.25), result.metrics());
    }

    private static ZeroShotEvaluator evaluator(Map<String, Object> config) {
        return new ZeroShotEvaluator(Configs.of(ZeroShotConfig.class, config));
    }

    /** Two samples per class, interleaved, plus one labelled "purple" (not a class) and one unlabelled. */
    private FakeContext context(IntFunction<float[]> imageEmbedding) {
        List<Sample> samples = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (String name : CLASSES) {
                samples.add(FakeContext.sample(name + round, CLASSES, List.of(name), "a " + name + " thing"));
            }
            samples.add(round == 0 ? FakeContext.sample("purple", CLASSES, List.of("purple"), "a purple thing")
                    : FakeContext.sample("unlabelled", CLASSES, List.of(), "a thing"));
        }
        return new FakeContext(manager, CLASSES, samples, imageEmbedding);
    }
}
