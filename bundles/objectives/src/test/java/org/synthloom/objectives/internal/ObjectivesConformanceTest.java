package org.synthloom.objectives.internal;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.synthloom.api.train.Objective;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.ObjectiveConformance;

/** Every objective of the bundle passes the SDK's objective conformance suite. */
class ObjectivesConformanceTest {

    @Nested
    class Clip extends ObjectiveConformance {
        @Override
        protected Objective objective() {
            return new ClipObjective();
        }
    }

    @Nested
    class SigLip extends ObjectiveConformance {
        @Override
        protected Objective objective() {
            return new SigLipObjective();
        }
    }

    @Nested
    class MultiPositive extends ObjectiveConformance {
        @Override
        protected Objective objective() {
            return new MultiPositiveObjective(Configs.of(MultiPositiveConfig.class, Map.of("symmetric", true)));
        }
    }

    @Nested
    class Caption extends ObjectiveConformance {
        @Override
        protected Objective objective() {
            return new CaptionObjective(Configs.defaults(CaptionConfig.class));
        }
    }
}
