package org.synthloom.api.data;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named collection of samples in splits ({@code train}, {@code test}, ...), registered as a
 * service with {@code synthloom.kind=dataset}.
 */
@ConsumerType
public interface Dataset {

    /** The {@code synthloom.kind} of datasets. */
    String KIND = "dataset";

    /** @return the split names this dataset offers, e.g. {@code [train, test]} */
    List<String> splits();

    /** @return the class names (concepts) its labels use, in label order; empty if unlabelled */
    List<String> classNames();

    /**
     * Opens a split for reading.
     *
     * @param split one of {@link #splits()}
     * @return a fresh source positioned at the split's first sample
     * @throws IOException if the dataset's files are missing or unreadable; the message says
     *     which files and how to get them
     * @throws IllegalArgumentException if the split does not exist
     */
    SampleSource open(String split) throws IOException;

    /**
     * The number of samples in a split, when the dataset knows it without reading it all; used for
     * progress and ETAs.
     *
     * @param split one of {@link #splits()}
     * @return the number of samples, or -1 if unknown
     */
    default long size(String split) {
        return -1;
    }
}
