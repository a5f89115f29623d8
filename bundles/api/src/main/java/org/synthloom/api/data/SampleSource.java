package org.synthloom.api.data;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A stream of samples read from a dataset, a shard set or a generator's output. Not thread safe:
 * one consumer reads it.
 */
@ConsumerType
public interface SampleSource extends Closeable {

    /**
     * Reads the next sample.
     *
     * @return the next sample, or empty when the source is exhausted
     * @throws IOException if the underlying storage cannot be read at all; a single corrupt entry
     *     is skipped and listed in {@link #problems()}, not thrown
     */
    Optional<Sample> next() throws IOException;

    /**
     * The input skipped so far because it could not be used (a corrupt image, a truncated tar
     * member, a CSV row without a caption).
     *
     * @return the problems met so far, oldest first; empty by default
     */
    default List<InputProblem> problems() {
        return List.of();
    }
}
