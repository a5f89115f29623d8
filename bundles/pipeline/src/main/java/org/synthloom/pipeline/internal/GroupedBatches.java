package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.synthloom.store.wds.RawSample;
import org.synthloom.store.wds.RawSampleSource;

/**
 * Batches made of whole caption groups ({@code batch.grouping = caption}, SynCLR): every image
 * generated from one synthetic caption lands in the same batch, so a multi-positive objective sees
 * them as positives of each other. The image stage writes a caption's images one after the other
 * (generators answer caption by caption, shards hold whole generation batches), so a group is a
 * run of consecutive synthetic samples with the same caption text ({@code txt} member, compared
 * without decoding). Human samples are groups of one.
 *
 * <p>Groups, not samples, are mixed (weighted so that the share of synthetic samples stays the
 * configured ratio) and shuffled, then packed in stream order: a batch takes whole groups while
 * they fit in {@code batchSize} samples, and the group that does not fit opens the next batch. So a
 * batch never splits a group and may be a few samples short of the batch size, and every batch
 * ends at a group boundary: the position after n batches is the samples of the groups they took,
 * and {@link #skip} returns to it by packing again. A group larger than the batch size is an
 * error.
 */
final class GroupedBatches implements BatchSource {

    /** A stream of groups of raw samples. */
    interface Groups extends AutoCloseable {
        /** @return the next group (never empty), or empty at the end */
        Optional<List<RawSample>> next() throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Groups groups;
    private final int batchSize;
    private List<RawSample> pending;

    /**
     * @param groups the (mixed, shuffled) groups, closed with this source
     * @param batchSize samples per batch at most
     */
    GroupedBatches(Groups groups, int batchSize) {
        this.groups = groups;
        this.batchSize = batchSize;
    }

    /**
     * The training stream of a grouped run: human singletons and synthetic caption groups mixed and
     * shuffled as groups.
     *
     * @param human the human samples
     * @param synthetic the synthetic samples, a caption's images consecutive; null for none
     * @param syntheticRatio the share of synthetic samples
     * @param groupSize the expected synthetic group size (images per caption)
     * @param shuffleBuffer about how many samples the shuffle buffer holds
     * @param mixSeed seeds the choice between human and synthetic groups
     * @param shuffleSeed seeds the shuffle
     * @param batchSize samples per batch at most
     */
    static GroupedBatches of(RawSampleSource human, RawSampleSource synthetic, double syntheticRatio, int groupSize,
            int shuffleBuffer, long mixSeed, long shuffleSeed, int batchSize) {
        Groups mixed = singletons(human);
        double meanGroup = 1;
        if (synthetic != null && syntheticRatio > 0) {
            // A synthetic group holds groupSize samples: weighting groups by ratio / groupSize keeps
            // the share of synthetic samples at the ratio.
            mixed = mix(List.of(mixed, consecutive(synthetic, groupSize)),
                    new double[] {1 - syntheticRatio, syntheticRatio / groupSize}, mixSeed);
            meanGroup = syntheticRatio * groupSize + (1 - syntheticRatio);
        }
        int capacity = (int) Math.max(1, Math.round(shuffleBuffer / meanGroup));
        return new GroupedBatches(shuffle(mixed, capacity, shuffleSeed), batchSize);
    }

    @Override
    public List<RawSample> next() throws IOException {
        List<RawSample> batch = new ArrayList<>(batchSize);
        while (true) {
            List<RawSample> group = pending;
            pending = null;
            if (group == null) {
                Optional<List<RawSample>> next = groups.next();
                if (next.isEmpty()) {
                    return batch;
                }
                group = next.get();
            }
            if (group.size() > batchSize) {
                throw new StageFailure("a caption group of " + group.size() + " samples (" + group.get(0)
                        + ") does not fit in a batch of " + batchSize + "; batch.grouping = caption never splits a"
                        + " group: raise batch.size or lower images.per.caption");
            }
            if (batch.size() + group.size() > batchSize) {
                pending = group;
                return batch;
            }
            batch.addAll(group);
        }
    }

    @Override
    public long skip(long samples) throws IOException {
        long skipped = 0;
        while (skipped < samples) {
            List<RawSample> batch = next();
            if (batch.isEmpty()) {
                break;
            }
            skipped += batch.size();
        }
        return skipped;
    }

    @Override
    public void close() throws IOException {
        groups.close();
    }

    /** Every sample a group of its own. */
    static Groups singletons(RawSampleSource source) {
        return new Groups() {
            @Override
            public Optional<List<RawSample>> next() throws IOException {
                return source.next().map(List::of);
            }

            @Override
            public void close() throws IOException {
                source.close();
            }
        };
    }

    /**
     * Runs of consecutive samples with the same caption text, at most {@code maxSize} long (one
     * caption's images: a captioner that wrote the same text twice in a row makes two groups, not
     * one too large for a batch); a sample without a caption is alone.
     */
    static Groups consecutive(RawSampleSource source, int maxSize) {
        return new Groups() {
            private RawSample ahead;

            @Override
            public Optional<List<RawSample>> next() throws IOException {
                RawSample first = ahead != null ? ahead : source.next().orElse(null);
                ahead = null;
                if (first == null) {
                    return Optional.empty();
                }
                List<RawSample> group = new ArrayList<>();
                group.add(first);
                byte[] caption = first.member("txt");
                while (caption != null && group.size() < maxSize) {
                    RawSample next = source.next().orElse(null);
                    if (next == null) {
                        break;
                    }
                    if (!Arrays.equals(caption, next.member("txt"))) {
                        ahead = next;
                        break;
                    }
                    group.add(next);
                }
                return Optional.of(group);
            }

            @Override
            public void close() throws IOException {
                source.close();
            }
        };
    }

    /**
     * Groups from several streams by weight: each group comes from stream i with probability
     * {@code weight[i] / sum}; a stream that ends drops out. Streams of weight 0 are never read,
     * only closed. A pure function of the seed, as the
     * store's {@code MixedSource} is for samples.
     */
    static Groups mix(List<Groups> streams, double[] weights, long seed) {
        List<Groups> live = new ArrayList<>();
        List<Groups> idle = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                live.add(streams.get(i));
                w.add(weights[i]);
            } else {
                idle.add(streams.get(i)); // never serves, not even when the others end
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        return new Groups() {
            @Override
            public Optional<List<RawSample>> next() throws IOException {
                while (!live.isEmpty()) {
                    double r = random.nextDouble() * w.stream().mapToDouble(Double::doubleValue).sum();
                    int pick = 0;
                    while (pick < w.size() - 1 && (r -= w.get(pick)) >= 0) {
                        pick++;
                    }
                    Optional<List<RawSample>> group = live.get(pick).next();
                    if (group.isPresent()) {
                        return group;
                    }
                    live.remove(pick).close();
                    w.remove(pick);
                }
                return Optional.empty();
            }

            @Override
            public void close() throws IOException {
                for (Groups g : live) {
                    g.close();
                }
                for (Groups g : idle) {
                    g.close();
                }
                live.clear();
                idle.clear();
            }
        };
    }

    /** A shuffle buffer of {@code capacity} groups (WebDataset's, over groups); a pure function of the seed. */
    static Groups shuffle(Groups upstream, int capacity, long seed) {
        List<List<RawSample>> buffer = new ArrayList<>(capacity);
        SplittableRandom random = new SplittableRandom(seed);
        return new Groups() {
            private boolean ended;

            @Override
            public Optional<List<RawSample>> next() throws IOException {
                while (!ended && buffer.size() < capacity) {
                    Optional<List<RawSample>> group = upstream.next();
                    if (group.isEmpty()) {
                        ended = true;
                    } else {
                        buffer.add(group.get());
                    }
                }
                if (buffer.isEmpty()) {
                    return Optional.empty();
                }
                int pick = random.nextInt(buffer.size());
                List<RawSample> chosen = buffer.get(pick);
                buffer.set(pick, buffer.get(buffer.size() - 1));
                buffer.remove(buffer.size() - 1);
                return Optional.of(chosen);
            }

            @Override
            public void close() throws IOException {
                buffer.clear();
                upstream.close();
            }
        };
    }
}
