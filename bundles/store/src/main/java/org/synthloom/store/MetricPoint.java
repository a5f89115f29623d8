package org.synthloom.store;

/**
 * One value of a metric.
 *
 * @param step the step it was measured at
 * @param value the value
 */
public record MetricPoint(long step, double value) {
}
