package org.synthloom.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians: the machine is shared, so every figure is the median of its repetitions. */
final class Stats {

    private Stats() {}

    /** @return the median of {@code values} (the mean of the middle two for an even count) */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take the median of");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
