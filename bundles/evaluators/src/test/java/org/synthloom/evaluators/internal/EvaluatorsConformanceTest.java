package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.synthloom.api.data.Sample;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.Evaluator;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.EvaluatorConformance;

import ai.djl.ndarray.NDManager;

/** The retrieval and zero-shot evaluators pass the SDK's evaluator conformance suite on a fake model. */
class EvaluatorsConformanceTest {

    private static final List<String> CLASSES = List.of("red", "green", "blue", "yellow", "purple", "orange");

    /** Sample i shows class i % 6 and is captioned with it; the model confuses every third image. */
    static EvaluationContext context(NDManager m) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String c = CLASSES.get(i % CLASSES.size());
            samples.add(FakeContext.sample("s" + i, CLASSES, List.of(c), "a " + c + " thing"));
        }
        return new FakeContext(m, CLASSES, samples, c -> FakeContext.oneHot(CLASSES.size(), c % 3 == 2 ? 0 : c));
    }

    @Nested
    class Retrieval extends EvaluatorConformance {
        @Override
        protected Evaluator evaluator() {
            return new RetrievalEvaluator(Configs.of(RetrievalConfig.class, Map.of()));
        }

        @Override
        protected EvaluationContext context(NDManager m) {
            return EvaluatorsConformanceTest.context(m);
        }
    }

    @Nested
    class ZeroShot extends EvaluatorConformance {
        @Override
        protected Evaluator evaluator() {
            return new ZeroShotEvaluator(Configs.of(ZeroShotConfig.class, Map.of()));
        }

        @Override
        protected EvaluationContext context(NDManager m) {
            return EvaluatorsConformanceTest.context(m);
        }
    }
}
