package org.synthloom.api.data;

import java.io.Closeable;
import java.io.IOException;
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
     *     is skipped and reported by the source, not thrown
     */
    Optional<Sample> next() throws IOException;
}
