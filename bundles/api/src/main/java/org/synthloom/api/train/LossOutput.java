package org.synthloom.api.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import ai.djl.ndarray.NDArray;

/**
 * An objective's answer for one batch: the scalar loss to differentiate, and named scalar metrics
 * (accuracy, temperature, ...) that the engine reads when it reports, not at every step, so that
 * a GPU need not synchronise.
 */
public final class LossOutput {

    private final NDArray loss;
    private final Map<String, NDArray> metrics;

    /**
     * @param loss a scalar attached to the autograd graph
     * @param metrics named scalars, detached from the graph; copied
     */
    public LossOutput(NDArray loss, Map<String, NDArray> metrics) {
        this.loss = Objects.requireNonNull(loss, "loss");
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** @return the scalar loss */
    public NDArray loss() {
        return loss;
    }

    /** @return named scalar metrics, unmodifiable */
    public Map<String, NDArray> metrics() {
        return metrics;
    }
}
