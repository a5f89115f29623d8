package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** The objective suite passes a conforming fake and catches broken ones. */
class ObjectiveConformanceTest {

    /** Mean squared distance between paired embeddings, scaled; {@code distance} metric. */
    static class Fake implements Objective {
        final boolean detachTexts;
        final boolean attachedMetric;

        Fake(boolean detachTexts, boolean attachedMetric) {
            this.detachTexts = detachTexts;
            this.attachedMetric = attachedMetric;
        }

        @Override
        public Set<String> requires() {
            return Set.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE);
        }

        private static NDArray get(NDList outputs, String name) {
            NDArray a = outputs.get(name);
            if (a == null) {
                throw new IllegalArgumentException("fake needs '" + name + "'");
            }
            return a;
        }

        @Override
        public LossOutput compute(NDList outputs, NDList batch) {
            NDArray images = get(outputs, Fields.IMAGE_EMBEDS);
            NDArray texts = get(outputs, Fields.TEXT_EMBEDS);
            NDArray scale = get(outputs, Fields.LOGIT_SCALE);
            NDArray distance = images.sub(detachTexts ? texts.stopGradient() : texts).square().sum(new int[] {1}).mean();
            Map<String, NDArray> metrics = new LinkedHashMap<>();
            metrics.put("distance", attachedMetric ? distance : distance.stopGradient());
            return new LossOutput(distance.mul(scale), metrics);
        }
    }

    /** The suite over an objective. */
    static class Suite extends ObjectiveConformance {
        final Objective objective;

        Suite(Objective objective) {
            this.objective = objective;
        }

        @Override
        protected Objective objective() {
            return objective;
        }
    }

    @Test
    void aConformingObjectivePassesEveryTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(false, false)));
        assertEquals(5, results.size(), results.keySet().toString());
        assertEquals("", Suites.failures(results));
    }

    @Test
    void anObjectiveThatDetachesAnInputFailsTheGradientTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(true, false)));
        assertInstanceOf(AssertionError.class, results.get("gradientsReachEveryInputThatRequiresThem"));
        assertNull(results.get("theLossIsAFiniteScalar"));
    }

    @Test
    void anObjectiveWithAnAttachedMetricFailsTheMetricTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(false, true)));
        assertInstanceOf(AssertionError.class, results.get("metricsAreNamedFiniteDetachedScalars"));
    }

    @Test
    void anObjectiveWithAVectorLossFailsTheScalarTest() throws Exception {
        Objective vector = new Fake(false, false) {
            @Override
            public LossOutput compute(NDList outputs, NDList batch) {
                NDArray perSample = outputs.get(Fields.IMAGE_EMBEDS).sub(outputs.get(Fields.TEXT_EMBEDS)).square().sum(new int[] {1});
                return new LossOutput(perSample, Map.of());
            }
        };
        Map<String, Throwable> results = Suites.run(() -> new Suite(vector));
        assertInstanceOf(AssertionError.class, results.get("theLossIsAFiniteScalar"));
    }

    @Test
    void anObjectiveThatFailsOnAMissingInputWithoutNamingItFailsTheMessageTest() throws Exception {
        Objective silent = new Fake(false, false) {
            @Override
            public LossOutput compute(NDList outputs, NDList batch) {
                if (outputs.size() < 3) {
                    throw new IllegalArgumentException("bad input");
                }
                return super.compute(outputs, batch);
            }
        };
        Map<String, Throwable> results = Suites.run(() -> new Suite(silent));
        assertInstanceOf(AssertionError.class, results.get("aMissingRequiredInputIsNamed"));
    }
}
