package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.api.train.Evaluator;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** The evaluator suite passes a conforming fake and catches broken ones. */
class EvaluatorConformanceTest {

    /** A context whose model scores {@code agreement}: the fake evaluators read it as their accuracy. */
    static EvaluationContext fakeContext(NDManager m, float agreement) {
        return new EvaluationContext() {
            @Override
            public NDManager manager() {
                return m;
            }

            @Override
            public List<String> classNames() {
                return List.of("a", "b");
            }

            @Override
            public SampleSource open(String split) {
                throw new UnsupportedOperationException();
            }

            @Override
            public NDList toBatch(List<Sample> samples) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Tokenizer tokenizer() {
                throw new UnsupportedOperationException();
            }

            @Override
            public NDList tokenize(List<String> captions) {
                throw new UnsupportedOperationException();
            }

            @Override
            public NDList forward(NDList batch) {
                return new NDList(m.create(agreement));
            }
        };
    }

    /** The suite over an evaluator and a model scoring {@code agreement}. */
    static class Suite extends EvaluatorConformance {
        final Evaluator evaluator;
        final float agreement;

        Suite(Evaluator evaluator, float agreement) {
            this.evaluator = evaluator;
            this.agreement = agreement;
        }

        @Override
        protected Evaluator evaluator() {
            return evaluator;
        }

        @Override
        protected EvaluationContext context(NDManager m) {
            return fakeContext(m, agreement);
        }
    }

    /** Reports the model's score as {@code accuracy} and a sample count. */
    static final Evaluator ACCURACY = context -> new EvaluationResult(
            Map.of("accuracy", (double) context.forward(new NDList()).head().getFloat(), "samples", 2.0), Map.of());

    @Test
    void aConformingEvaluatorPassesEveryTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(ACCURACY, 0.5f));
        assertEquals(2, results.size(), results.keySet().toString());
        assertEquals("", Suites.failures(results));
    }

    @Test
    void anAccuracyAboveOneFailsTheRangeTest() throws Exception {
        // e.g. a count of hits reported as an accuracy
        Map<String, Throwable> results = Suites.run(() -> new Suite(ACCURACY, 2f));
        assertInstanceOf(AssertionError.class, results.get("metricsAreNamedFiniteAndInRange"));
        assertNull(results.get("isDeterministic"));
    }

    @Test
    void aNaNMetricFailsTheRangeTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(ACCURACY, Float.NaN));
        assertInstanceOf(AssertionError.class, results.get("metricsAreNamedFiniteAndInRange"));
    }

    @Test
    void anEvaluatorThatDrawsRandomSamplesFailsTheDeterminismTest() throws Exception {
        Evaluator random = context -> new EvaluationResult(Map.of("accuracy", Math.random()), Map.of());
        Map<String, Throwable> results = Suites.run(() -> new Suite(random, 0.5f));
        assertInstanceOf(AssertionError.class, results.get("isDeterministic"));
    }
}
