package org.synthloom.pipeline.internal;

import java.util.function.Consumer;

/**
 * Pause, resume and cancel requests, honoured at batch boundaries: the run thread calls
 * {@link #boundary(long)} between batches, which blocks while paused and throws when cancelled.
 */
final class RunControl {

    /** Thrown at a batch boundary of a cancelled run; completed work stays. */
    static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private final Consumer<String> onPause;
    private final Runnable onResume;
    private boolean pauseRequested;
    private String pauseReason = "";
    private boolean cancelRequested;
    private boolean paused;

    /**
     * @param onPause called on the run thread when it pauses, with the reason
     * @param onResume called on the run thread when it resumes
     */
    RunControl(Consumer<String> onPause, Runnable onResume) {
        this.onPause = onPause;
        this.onResume = onResume;
    }

    synchronized void requestPause(String reason) {
        pauseRequested = true;
        pauseReason = reason;
        notifyAll();
    }

    synchronized void requestResume() {
        pauseRequested = false;
        notifyAll();
    }

    synchronized void requestCancel() {
        cancelRequested = true;
        notifyAll();
    }

    synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    synchronized boolean isPaused() {
        return paused;
    }

    /** Wakes a thread waiting at a boundary (e.g. because a component it waits for came back). */
    synchronized void poke() {
        notifyAll();
    }

    /**
     * A batch boundary: returns at once unless a pause was requested, in which case it announces
     * the pause and blocks until resumed.
     *
     * @param step for the caller's bookkeeping only
     * @throws Cancelled if the run was cancelled
     */
    void boundary(long step) {
        String reason;
        synchronized (this) {
            if (cancelRequested) {
                throw new Cancelled();
            }
            if (!pauseRequested) {
                return;
            }
            paused = true;
            reason = pauseReason;
        }
        onPause.accept(reason);
        synchronized (this) {
            while (pauseRequested && !cancelRequested) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelRequested = true;
                }
            }
            paused = false;
            if (cancelRequested) {
                throw new Cancelled();
            }
        }
        onResume.run();
    }

    /**
     * Waits for a condition (checked whenever {@link #poke()} is called, and every 200 ms) without
     * marking the run paused; used while a stage waits for a component.
     *
     * @throws Cancelled if the run is cancelled meanwhile
     */
    synchronized void awaitCondition(java.util.function.BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (cancelRequested) {
                throw new Cancelled();
            }
            try {
                wait(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancelled();
            }
        }
    }
}
