package org.synthloom.captioners.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.synthloom.api.generate.GenerationException;

/** Runs a generator's requests with a bounded number in flight, results in task order. */
final class Parallel {

    /** A request that may fail with a reason. */
    @FunctionalInterface
    interface Task<T> {
        T call() throws GenerationException;
    }

    private Parallel() {}

    /**
     * @param concurrency most tasks running at once
     * @param tasks the tasks
     * @param name the generator's name, for thread names and messages
     * @return the results, in the order of the tasks
     * @throws GenerationException the first failure in task order; the other tasks are cancelled
     */
    static <T> List<T> run(int concurrency, List<Task<T>> tasks, String name) throws GenerationException {
        List<T> results = new ArrayList<>(tasks.size());
        if (concurrency <= 1 || tasks.size() <= 1) {
            for (Task<T> task : tasks) {
                results.add(task.call());
            }
            return results;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, tasks.size()), r -> {
            Thread t = new Thread(r, name + "-request-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Task<T> task : tasks) {
                futures.add(pool.submit(task::call));
            }
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GenerationException g) {
                throw g;
            }
            throw new GenerationException(name + ": a request failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException(name + ": interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
