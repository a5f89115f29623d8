package org.synthloom.store.wds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Shuffles a stream through a buffer of a fixed size, as WebDataset does: each output is drawn at
 * random from the buffer, which is refilled from upstream. The order is a pure function of the
 * upstream order and the seed.
 */
public final class ShuffleBuffer implements RawSampleSource {

    private final RawSampleSource upstream;
    private final int capacity;
    private final SplittableRandom random;
    private final List<RawSample> buffer;
    private boolean upstreamEnded;

    /**
     * @param upstream the stream to shuffle (closed with this one)
     * @param capacity buffer size; 1 or less passes samples through in order
     * @param seed the seed
     */
    public ShuffleBuffer(RawSampleSource upstream, int capacity, long seed) {
        this.upstream = upstream;
        this.capacity = Math.max(1, capacity);
        this.random = new SplittableRandom(seed);
        this.buffer = new ArrayList<>(this.capacity);
    }

    @Override
    public Optional<RawSample> next() throws IOException {
        while (!upstreamEnded && buffer.size() < capacity) {
            Optional<RawSample> sample = upstream.next();
            if (sample.isEmpty()) {
                upstreamEnded = true;
            } else {
                buffer.add(sample.get());
            }
        }
        if (buffer.isEmpty()) {
            return Optional.empty();
        }
        int pick = random.nextInt(buffer.size());
        RawSample chosen = buffer.get(pick);
        buffer.set(pick, buffer.get(buffer.size() - 1));
        buffer.remove(buffer.size() - 1);
        return Optional.of(chosen);
    }

    @Override
    public void close() throws IOException {
        buffer.clear();
        upstream.close();
    }
}
