package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

/** The dataset suite passes a conforming fake and catches broken ones. */
class DatasetConformanceTest {

    /** Splits train (6 samples) and test (3), labels cycling over two classes. */
    static class Fake implements Dataset {
        final long sizeError;
        final boolean shuffle;

        Fake(long sizeError, boolean shuffle) {
            this.sizeError = sizeError;
            this.shuffle = shuffle;
        }

        @Override
        public List<String> splits() {
            return List.of("train", "test");
        }

        @Override
        public List<String> classNames() {
            return List.of("circle", "square");
        }

        List<Sample> samples(String split) {
            int n = switch (split) {
                case "train" -> 6;
                case "test" -> 3;
                default -> throw new IllegalArgumentException("no split " + split);
            };
            List<Sample> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String label = classNames().get(i % 2);
                out.add(Sample.builder(split + "-" + i).imageProvenance(Provenance.human("fake"))
                        .caption(new Caption("a " + label + " number " + i, Provenance.human("fake"))).label(label).build());
            }
            if (shuffle) {
                Collections.shuffle(out, new Random(System.nanoTime()));
            }
            return out;
        }

        @Override
        public SampleSource open(String split) {
            Iterator<Sample> it = samples(split).iterator();
            return new SampleSource() {
                @Override
                public Optional<Sample> next() {
                    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public long size(String split) {
            return samples(split).size() + sizeError;
        }
    }

    /** The suite over a dataset. */
    static class Suite extends DatasetConformance {
        final Dataset dataset;

        Suite(Dataset dataset) {
            this.dataset = dataset;
        }

        @Override
        protected Dataset dataset() {
            return dataset;
        }
    }

    @Test
    void aConformingDatasetPassesEveryTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(0, false)));
        assertEquals(6, results.size(), results.keySet().toString());
        assertEquals("", Suites.failures(results));
    }

    @Test
    void aDatasetWhoseSizeIsWrongFailsTheSizeTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(1, false)));
        assertInstanceOf(AssertionError.class, results.get("splitSizesAreWhatTheDatasetSays"));
        assertNull(results.get("samplesAreWellFormed"));
    }

    @Test
    void aDatasetThatShufflesEveryReadFailsTheDeterminismTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(0, true)));
        assertInstanceOf(AssertionError.class, results.get("readingIsDeterministic"));
        assertNull(results.get("splitSizesAreWhatTheDatasetSays"));
    }

    @Test
    void aDatasetWithALabelOutsideItsClassesFailsTheWellFormedTest() throws Exception {
        Dataset wrongClasses = new Fake(0, false) {
            @Override
            public List<String> classNames() {
                return List.of("circle", "triangle");
            }

            @Override
            List<Sample> samples(String split) {
                return new Fake(0, false).samples(split);
            }
        };
        Map<String, Throwable> results = Suites.run(() -> new Suite(wrongClasses));
        assertInstanceOf(AssertionError.class, results.get("samplesAreWellFormed"));
    }
}
