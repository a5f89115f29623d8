package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/**
 * The contract of a {@link Dataset}: splits named and distinct; {@link Dataset#size(String)}, when
 * known, is the number of samples a split yields; samples have unique ids, image provenance, and
 * labels among the class names; reading a split twice gives the same samples in the same order;
 * each {@code open} is a fresh source; an unknown split is an {@link IllegalArgumentException}.
 *
 * <p>Configure the dataset small: each split is read whole (up to {@link #maxSamples()}).
 */
public abstract class DatasetConformance {

    /**
     * @return the dataset under test, configured and with its files in place
     * @throws Exception if it cannot be made
     */
    protected abstract Dataset dataset() throws Exception;

    /** @return samples read at most per split; 5000 by default */
    protected int maxSamples() {
        return 5000;
    }

    private List<Sample> read(Dataset dataset, String split, int max) throws Exception {
        List<Sample> samples = new ArrayList<>();
        try (SampleSource source = dataset.open(split)) {
            assertNotNull(source, "open(" + split + ") returned null");
            for (Optional<Sample> s = source.next(); s.isPresent() && samples.size() < max; s = source.next()) {
                samples.add(s.get());
            }
        }
        return samples;
    }

    /** There is at least one split; names are distinct and not blank. */
    @Test
    public void splitsAreNamedAndDistinct() throws Exception {
        List<String> splits = dataset().splits();
        assertFalse(splits.isEmpty(), "the dataset has no split");
        assertEquals(splits.size(), new HashSet<>(splits).size(), "split names repeat: " + splits);
        splits.forEach(s -> assertFalse(s == null || s.isBlank(), "a split has no name: " + splits));
    }

    /** A split yields as many samples as {@code size} says, when it says (and at least one). */
    @Test
    public void splitSizesAreWhatTheDatasetSays() throws Exception {
        Dataset dataset = dataset();
        for (String split : dataset.splits()) {
            long size = dataset.size(split);
            List<Sample> samples = read(dataset, split, maxSamples());
            assertFalse(samples.isEmpty(), "split " + split + " is empty");
            if (size >= 0 && size <= maxSamples()) {
                assertEquals(size, samples.size(), "split " + split + ": size() against the samples read");
            } else if (size >= 0) {
                assertEquals(maxSamples(), samples.size(), "split " + split + " says " + size + " samples");
            } else {
                assertEquals(-1, size, "size() is -1 when unknown");
            }
        }
    }

    /** Samples have unique ids in their split, image provenance, and labels among the class names. */
    @Test
    public void samplesAreWellFormed() throws Exception {
        Dataset dataset = dataset();
        List<String> classes = dataset.classNames();
        assertNotNull(classes, "classNames() is null");
        for (String split : dataset.splits()) {
            Set<String> ids = new HashSet<>();
            for (Sample s : read(dataset, split, maxSamples())) {
                assertTrue(ids.add(s.id()), "split " + split + ": sample id " + s.id() + " is repeated");
                assertNotNull(s.imageProvenance(), "sample " + s.id() + " has no image provenance");
                if (!classes.isEmpty()) {
                    for (String label : s.labels()) {
                        assertTrue(classes.contains(label), "split " + split + ": sample " + s.id() + " has label '" + label
                                + "', which is not among the class names " + classes);
                    }
                }
            }
        }
    }

    /** Reading a split twice, from two instances, gives the same samples in the same order. */
    @Test
    public void readingIsDeterministic() throws Exception {
        Dataset a = dataset();
        Dataset b = dataset();
        for (String split : a.splits()) {
            assertEquals(read(a, split, maxSamples()), read(b, split, maxSamples()), "split " + split + " read twice");
        }
    }

    /** Two sources of one split are independent: reading one does not advance the other. */
    @Test
    public void eachOpenIsAFreshSource() throws Exception {
        Dataset dataset = dataset();
        String split = dataset.splits().get(0);
        try (SampleSource first = dataset.open(split); SampleSource second = dataset.open(split)) {
            Optional<Sample> a = first.next();
            Optional<Sample> a2 = first.next();
            Optional<Sample> b = second.next();
            assertTrue(a.isPresent(), "split " + split + " is empty");
            assertEquals(a.get().id(), b.orElseThrow().id(), "a second source did not start at the first sample");
            a2.ifPresent(s -> assertFalse(s.id().equals(a.get().id()), "the source returned sample " + s.id() + " twice"));
        }
    }

    /** An unknown split is an {@link IllegalArgumentException}. */
    @Test
    public void anUnknownSplitIsRejected() throws Exception {
        Dataset dataset = dataset();
        assertThrows(IllegalArgumentException.class, () -> dataset.open("no-such-split-" + dataset.splits().size()).close());
    }
}
