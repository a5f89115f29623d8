package org.synthloom.itests;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls for a condition that the framework reaches asynchronously (hot deploy, DS activation). */
public final class Await {

    private Await() {}

    /**
     * Waits until the condition holds.
     *
     * @return how long it took
     * @throws AssertionError naming what was awaited if it does not hold in time
     */
    public static Duration until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Waits until the supplier returns a non-null value, and returns it. */
    public static <T> T value(String what, Duration timeout, Supplier<T> supplier) throws InterruptedException {
        Object[] holder = new Object[1];
        until(what, timeout, () -> (holder[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }
}
