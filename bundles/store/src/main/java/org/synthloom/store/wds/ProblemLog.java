package org.synthloom.store.wds;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.synthloom.api.data.InputProblem;

/**
 * Records input that was skipped. Thread safe. Keeps the first {@value #KEPT} problems in full and
 * counts all of them, so that a million corrupt entries cannot exhaust memory.
 */
public final class ProblemLog {

    /** How many problems are kept in full. */
    public static final int KEPT = 1000;

    private final List<InputProblem> kept = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();

    /**
     * Records a problem.
     *
     * @param location the file
     * @param entry the entry within it
     * @param reason what is wrong
     */
    public void add(String location, String entry, String reason) {
        count.incrementAndGet();
        synchronized (kept) {
            if (kept.size() < KEPT) {
                kept.add(new InputProblem(location, entry, reason));
            }
        }
    }

    /** @return the problems kept, oldest first */
    public List<InputProblem> problems() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    /** @return how many problems were recorded in all */
    public long count() {
        return count.get();
    }
}
