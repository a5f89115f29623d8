package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.synthloom.store.wds.RawSampleSource;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.batch.BatchBuilder;
import org.synthloom.batch.HostBatch;

/**
 * Prepares training batches off the training thread. A reader thread takes exactly
 * {@code batchSize} raw samples per batch from the (mixed, shuffled) stream, so the data position
 * after n batches is n x batchSize whatever fails to decode; worker threads decode and assemble the
 * batches in parallel; the training thread receives them in order. Samples that do not decode are
 * recorded and left out of their batch.
 */
final class BatchLoader implements AutoCloseable {

    private static final Future<HostBatch> END = CompletableFuture.completedFuture(null);

    private final RawSampleSource raw;
    private final SampleCodec codec;
    private final BatchBuilder builder;
    private final int batchSize;
    private final ProblemLog problems;
    private final ExecutorService workers;
    private final BlockingQueue<Future<HostBatch>> ready;
    private final Thread reader;
    private volatile boolean closed;
    private long waitNanos;

    BatchLoader(RawSampleSource raw, SampleCodec codec, BatchBuilder builder, int batchSize, int threads, int prefetch,
            ProblemLog problems, long firstBatch, String name) {
        this.raw = raw;
        this.codec = codec;
        this.builder = builder;
        this.batchSize = batchSize;
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
                List<RawSample> group = new ArrayList<>(batchSize);
                while (group.size() < batchSize) {
                    Optional<RawSample> next = raw.next();
                    if (next.isEmpty()) {
                        break;
                    }
                    group.add(next.get());
                }
                if (group.isEmpty()) {
                    ready.put(END);
                    return;
                }
                long batchIndex = index;
                ready.put(workers.submit(() -> assemble(group, batchIndex)));
                if (group.size() < batchSize) {
                    ready.put(END);
                    return;
                }
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
    HostBatch next() throws InterruptedException {
        long start = System.nanoTime();
        Future<HostBatch> future = ready.take();
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
