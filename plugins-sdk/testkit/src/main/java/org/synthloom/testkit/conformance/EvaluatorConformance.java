package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.api.train.Evaluator;
import org.synthloom.testkit.ClasspathDevices;

import ai.djl.ndarray.NDManager;

/**
 * The contract of an {@link Evaluator}: on a model and data the test provides, metrics are named,
 * finite and within their range ({@link #range(String)}: accuracies, recalls, precisions and BLEU
 * in [0, 1] by default), and the same model and data give the same metrics; {@code requires()} is
 * never null.
 */
public abstract class EvaluatorConformance {

    private final ClasspathDevices devices = new ClasspathDevices();
    private final NDManager manager = devices.newManager(devices.defaultDevice());

    /**
     * @return the evaluator under test, configured
     * @throws Exception if it cannot be made
     */
    protected abstract Evaluator evaluator() throws Exception;

    /**
     * @param m the manager the context hands out (the suite closes it)
     * @return a fresh evaluation context: a model (often a fake one) and its data
     * @throws Exception if it cannot be made
     */
    protected abstract EvaluationContext context(NDManager m) throws Exception;

    /**
     * The range a metric must fall in.
     *
     * @param metric the metric's name
     * @return {@code {min, max}}; [0, 1] for names with accuracy, recall, R@, precision or bleu,
     *     non-negative for counts and chance, else any finite value
     */
    protected double[] range(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        if (m.contains("accuracy") || m.contains("recall") || m.contains("r@") || m.contains("precision")
                || m.contains("bleu") || m.equals("chance")) {
            return new double[] {0, 1};
        }
        if (m.endsWith("samples") || m.endsWith("count")) {
            return new double[] {0, Double.MAX_VALUE};
        }
        return new double[] {-Double.MAX_VALUE, Double.MAX_VALUE};
    }

    /** Closes the tensors of the test. */
    @AfterEach
    public void closeManager() {
        manager.close();
    }

    private EvaluationResult evaluate() throws Exception {
        try (NDManager m = manager.newSubManager()) {
            EvaluationResult result = evaluator().evaluate(context(m));
            assertNotNull(result, "evaluate returned null");
            return result;
        }
    }

    /** Metrics are named, finite and in range; there is at least one. */
    @Test
    public void metricsAreNamedFiniteAndInRange() throws Exception {
        assertNotNull(evaluator().requires(), "requires() is null");
        Map<String, Double> metrics = evaluate().metrics();
        assertFalse(metrics.isEmpty(), "the evaluation has no metric");
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            assertTrue(e.getKey() != null && !e.getKey().isBlank(), "a metric has no name");
            double v = e.getValue();
            assertTrue(Double.isFinite(v), "metric " + e.getKey() + " = " + v + " is not finite");
            double[] r = range(e.getKey());
            assertTrue(v >= r[0] && v <= r[1], "metric " + e.getKey() + " = " + v + " is outside [" + r[0] + ", " + r[1] + "]");
        }
    }

    /** The same model and data give the same metrics. */
    @Test
    public void isDeterministic() throws Exception {
        assertEquals(evaluate().metrics(), evaluate().metrics(), "two evaluations of the same model and data");
    }
}
