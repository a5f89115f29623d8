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
     * Evaluates.
     *
     * @param context the model and data
     * @return the metrics
     * @throws java.io.IOException if the evaluation data cannot be read
     */
    EvaluationResult evaluate(EvaluationContext context) throws java.io.IOException;
}
