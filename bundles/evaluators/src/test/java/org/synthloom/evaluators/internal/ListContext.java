package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.train.EvaluationContext;

import ai.djl.ndarray.NDManager;

/**
 * The data side of the test contexts: the engine's manager, class names, and the samples of each
 * split held in lists. Records the splits opened, in order.
 */
abstract class ListContext implements EvaluationContext {

    private final NDManager manager;
    private final List<String> classNames;
    private final Function<String, List<Sample>> splitSamples;
    final List<String> splits = new ArrayList<>();

    /**
     * @param splitSamples the samples of a split (the same list for every split, if the test
     *     does not tell them apart)
     */
    ListContext(NDManager manager, List<String> classNames, Function<String, List<Sample>> splitSamples) {
        this.manager = manager;
        this.classNames = classNames;
        this.splitSamples = splitSamples;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public SampleSource open(String split) {
        splits.add(split);
        Iterator<Sample> it = splitSamples.apply(split).iterator();
        return new SampleSource() {
            @Override
            public Optional<Sample> next() {
                return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
            }

            @Override
            public void close() {}
        };
    }
}
