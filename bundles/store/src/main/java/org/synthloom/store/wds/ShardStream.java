package org.synthloom.store.wds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Reads a set of shards one after the other, epoch after epoch: in order or in an order shuffled
 * per epoch, once or forever ({@code resample}, as OpenCLIP's training reads its shards). A shard
 * that cannot be opened is recorded and skipped.
 */
public final class ShardStream implements RawSampleSource {

    private final List<Path> shards;
    private final long seed;
    private final boolean shuffleShards;
    private final boolean resample;
    private final ProblemLog problems;
    private List<Path> order = List.of();
    private int position;
    private long epoch = -1;
    private long samplesThisEpoch;
    private ShardReader reader;
    private boolean ended;

    /**
     * @param shards the shard files
     * @param seed seeds the per-epoch shard order
     * @param shuffleShards shuffle the shard order each epoch
     * @param resample start over at the end, forever
     * @param problems where skipped input is recorded
     */
    public ShardStream(List<Path> shards, long seed, boolean shuffleShards, boolean resample, ProblemLog problems) {
        this.shards = List.copyOf(shards);
        this.seed = seed;
        this.shuffleShards = shuffleShards;
        this.resample = resample;
        this.problems = problems;
    }

    /** @return the epoch being read, counting from 0 */
    public long epoch() {
        return Math.max(0, epoch);
    }

    @Override
    public Optional<RawSample> next() throws IOException {
        while (!ended) {
            if (reader == null && !openNext()) {
                return Optional.empty();
            }
            Optional<RawSample> sample = reader.next();
            if (sample.isPresent()) {
                samplesThisEpoch++;
                return sample;
            }
            closeReader();
        }
        return Optional.empty();
    }

    @Override
    public long skip(long count) throws IOException {
        long skipped = 0;
        while (skipped < count && !ended) {
            if (reader == null && !openNext()) {
                break;
            }
            long n = reader.skip(count - skipped);
            skipped += n;
            samplesThisEpoch += n;
            if (skipped < count) {
                closeReader();
            }
        }
        return skipped;
    }

    /** Opens the next readable shard, starting a new epoch when needed; false at the end. */
    private boolean openNext() {
        while (true) {
            if (position >= order.size()) {
                boolean previousEpochWasEmpty = epoch >= 0 && samplesThisEpoch == 0;
                if (shards.isEmpty() || previousEpochWasEmpty || epoch >= 0 && !resample) {
                    ended = true;
                    return false;
                }
                epoch++;
                samplesThisEpoch = 0;
                order = new ArrayList<>(shards);
                if (shuffleShards) {
                    Collections.shuffle(order, new Random(seed * 0x9E3779B97F4A7C15L + epoch));
                }
                position = 0;
            }
            Path shard = order.get(position++);
            try {
                reader = new ShardReader(shard, problems);
                return true;
            } catch (IOException e) {
                problems.add(shard.toString(), "", "the shard cannot be opened (" + e + "); it is skipped");
            }
        }
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    @Override
    public void close() throws IOException {
        ended = true;
        closeReader();
    }
}
