package org.synthloom.pipeline.internal;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.synthloom.store.wds.RawSample;
import org.synthloom.store.wds.RawSampleSource;

/**
 * Where the {@link BatchLoader} takes each batch's raw samples from. The data position of a
 * checkpoint is the number of raw samples the batches so far took, and {@link #skip} returns to it.
 * Not thread safe: the loader's reader thread is the one consumer.
 */
interface BatchSource extends Closeable {

    /**
     * @return the raw samples of the next batch, in order; empty at the end of a finite stream
     * @throws IOException if reading fails in a way that ends the stream
     */
    List<RawSample> next() throws IOException;

    /**
     * Returns to a data position, as a resumed run does.
     *
     * @param samples raw samples taken by the batches before the position
     * @return the samples dropped (fewer at the end of the stream)
     * @throws IOException if reading fails
     */
    long skip(long samples) throws IOException;

    /**
     * Batches of exactly {@code batchSize} consecutive samples of a stream (the last one of a
     * finite stream shorter), so the position after n batches is n x batchSize.
     */
    static BatchSource fixed(RawSampleSource raw, int batchSize) {
        return new BatchSource() {
            @Override
            public List<RawSample> next() throws IOException {
                List<RawSample> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize) {
                    Optional<RawSample> sample = raw.next();
                    if (sample.isEmpty()) {
                        break;
                    }
                    batch.add(sample.get());
                }
                return batch;
            }

            @Override
            public long skip(long samples) throws IOException {
                return raw.skip(samples);
            }

            @Override
            public void close() throws IOException {
                raw.close();
            }
        };
    }
}
