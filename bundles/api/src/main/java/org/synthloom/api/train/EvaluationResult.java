package org.synthloom.api.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named metric values from one evaluation, e.g. {@code image_to_text_R@1 = 0.42}, plus free-form
 * text details (per-class scores, example captions) for the report.
 */
public final class EvaluationResult {

    private final Map<String, Double> metrics;
    private final Map<String, String> details;

    /**
     * @param metrics metric values by name; copied
     * @param details text details by name; copied
     */
    public EvaluationResult(Map<String, Double> metrics, Map<String, String> details) {
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** @return metric values by name, unmodifiable */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /** @return text details by name, unmodifiable */
    public Map<String, String> details() {
        return details;
    }
}
