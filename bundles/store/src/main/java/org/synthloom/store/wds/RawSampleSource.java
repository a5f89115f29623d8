package org.synthloom.store.wds;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/** A stream of undecoded samples. Not thread safe: one consumer reads it. */
@ConsumerType
public interface RawSampleSource extends Closeable {

    /**
     * @return the next raw sample, or empty at the end (never, for a resampling source)
     * @throws IOException if reading fails in a way that ends the stream
     */
    Optional<RawSample> next() throws IOException;

    /**
     * Drops samples without decoding them: the way a resumed run returns to its data position.
     *
     * @param count how many to drop
     * @return how many were dropped (fewer at the end of the stream)
     * @throws IOException if reading fails
     */
    default long skip(long count) throws IOException {
        long skipped = 0;
        while (skipped < count && next().isPresent()) {
            skipped++;
        }
        return skipped;
    }
}
