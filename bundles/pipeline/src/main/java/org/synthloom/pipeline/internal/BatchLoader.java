package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.synthloom.api.data.Sample;
import org.synthloom.store.wds.ProblemLog;
import org.synthloom.store.wds.RawSample;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.batch.BatchBuilder;
import org.synthloom.batch.HostBatch;

/**
 * Prepares training batches off the training thread. A reader thread takes each batch's raw
 * samples from a {@link BatchSource} (exactly {@code batch.size} of the mixed, shuffled stream, or
 * whole caption groups), so the data position after n batches is the raw samples they took
 * whatever fails to decode; worker threads decode and assemble the batches in parallel; the
 * training thread receives them in order. Samples that do not decode are recorded and left out of
 * their batch.
 */
final class BatchLoader implements AutoCloseable {

    /** A batch and the raw samples it took from the stream (its share of the data position). */
    record Loaded(HostBatch batch, int samples) {}

    private static final Future<Loaded> END = CompletableFuture.completedFuture(null);

    private final BatchSource raw;
    private final SampleCodec codec;
    private final BatchBuilder builder;
    private final ProblemLog problems;
    private final ExecutorService workers;
    private final BlockingQueue<Future<Loaded>> ready;
    private final Thread reader;
    private volatile boolean closed;
    private long waitNanos;

    BatchLoader(BatchSource raw, SampleCodec codec, BatchBuilder builder, int threads, int prefetch, ProblemLog problems,
            long firstBatch, String name) {
        this.raw = raw;
        this.codec = codec;
        this.builder = builder;
        this.problems = problems;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-decode-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.ready = new ArrayBlockingQueue<>(Math.max(1, prefetch));
        this.reader = new Thread(() -> read(firstBatch), name + "-read");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void read(long firstBatch) {
        try {
            for (long index = firstBatch; !closed; index++) {
                List<RawSample> group = raw.next();
                if (group.isEmpty()) {
                    ready.put(END);
                    return;
                }
                long batchIndex = index;
                ready.put(workers.submit(() -> new Loaded(assemble(group, batchIndex), group.size())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                ready.offer(CompletableFuture.failedFuture(e));
            }
        }
    }

    private HostBatch assemble(List<RawSample> group, long batchIndex) {
        List<Sample> samples = new ArrayList<>(group.size());
        for (RawSample rawSample : group) {
            try {
                samples.add(codec.decode(rawSample));
            } catch (IOException e) {
                problems.add(rawSample.location(), rawSample.key(), e.getMessage() + "; the sample is left out");
            }
        }
        return builder.build(samples, batchIndex);
    }

    /**
     * @return the next batch in order, or null when a finite stream is exhausted
     * @throws StageFailure if reading or assembling failed
     */
    Loaded next() throws InterruptedException {
        long start = System.nanoTime();
        Future<Loaded> future = ready.take();
        try {
            return future == END ? null : future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StageFailure failure) {
                throw failure;
            }
            if (cause instanceof IllegalArgumentException unusable) {
                throw new StageFailure(unusable.getMessage(), null, unusable);
            }
            throw new StageFailure("the training data could not be read: " + cause, null, cause);
        } finally {
            waitNanos += System.nanoTime() - start;
        }
    }

    /** @return the total time the training thread waited for data */
    long waitNanos() {
        return waitNanos;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        reader.interrupt();
        workers.shutdownNow();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        raw.close();
    }
}
