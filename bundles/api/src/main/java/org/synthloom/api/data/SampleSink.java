package org.synthloom.api.data;

import java.io.Closeable;
import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a stage writes its samples (shards, a store, a gallery). Closing the sink makes every
 * accepted sample durable.
 */
@ConsumerType
public interface SampleSink extends Closeable {

    /**
     * Accepts one sample.
     *
     * @param sample the sample
     * @throws IOException if it cannot be written
     */
    void accept(Sample sample) throws IOException;
}
