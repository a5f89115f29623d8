package org.synthloom.evaluators.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.synthloom.api.data.Sample;

/** Class labels of samples and per-class accuracy reports, shared by the classifying evaluators. */
final class Labels {

    private final List<String> classes;
    private final Map<String, Integer> index = new HashMap<>();

    /** @param classes the class names, in label order */
    Labels(List<String> classes) {
        this.classes = classes;
        for (int c = 0; c < classes.size(); c++) {
            index.putIfAbsent(classes.get(c), c);
        }
    }

    /** @return the index of the sample's first label, or -1 if it has none or it is not a class */
    int of(Sample sample) {
        return sample.labels().isEmpty() ? -1 : index.getOrDefault(sample.labels().get(0), -1);
    }

    /** @return the number of classes */
    int size() {
        return classes.size();
    }

    /** {@code name accuracy (correct/total)} for every class with samples, comma-separated. */
    String perClass(int[] correct, int[] total) {
        StringBuilder perClass = new StringBuilder();
        for (int c = 0; c < classes.size(); c++) {
            if (total[c] > 0) {
                perClass.append(perClass.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f (%d/%d)",
                        classes.get(c), correct[c] / (double) total[c], correct[c], total[c]));
            }
        }
        return perClass.toString();
    }
}
