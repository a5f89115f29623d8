package org.synthloom.objectives.internal;

import java.util.Map;

import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.Objective;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.conformance.ObjectiveConformance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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

    /** The suite cannot make the MIM outputs: random predictions and targets, a mask of 3 in 8 patches. */
    @Nested
    class Mim extends ObjectiveConformance {
        @Override
        protected Objective objective() {
            return new MimObjective();
        }

        @Override
        protected NDList outputs(NDManager m, Set<String> requires) {
            NDArray predictions = m.randomNormal(new Shape(batchSize(), 8, embeddingWidth()));
            predictions.setName(Fields.MIM_PREDICTIONS);
            NDArray targets = m.randomNormal(new Shape(batchSize(), 8, embeddingWidth()));
            targets.setName(Fields.MIM_TARGETS);
            NDArray mask = m.randomUniform(0f, 1f, new Shape(batchSize(), 8)).lt(0.375f).toType(DataType.INT32, false);
            mask.setName(Fields.MIM_MASK);
            return new NDList(predictions, targets, mask);
        }
    }
}
