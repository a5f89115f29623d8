package org.synthloom.api.train;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Measures a trained model. Registered with {@code synthloom.kind=evaluator}.
 */
@ConsumerType
public interface Evaluator {

    /** The {@code synthloom.kind} of evaluators. */
    String KIND = "evaluator";

    /**
     * The model outputs the evaluator reads ({@link org.synthloom.api.model.Fields}), so that the
     * engine runs it only on models that produce them: a captioning metric is not asked to judge a
     * contrastive model.
     *
     * @return output names; empty (the default) if it applies to any model
     */
    default java.util.Set<String> requires() {
        return java.util.Set.of();
    }

    /**
     * Evaluates.
     *
     * @param context the model and data
     * @return the metrics
     * @throws java.io.IOException if the evaluation data cannot be read
     */
    EvaluationResult evaluate(EvaluationContext context) throws java.io.IOException;
}
