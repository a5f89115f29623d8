package org.synthloom.api.run;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One execution of a pipeline. Its work survives it: a new start of the same pipeline resumes
 * from the last completed shard or checkpoint.
 */
@ProviderType
public interface Run {

    /** @return the run's id, unique within the run store */
    String id();

    /** @return the name of the pipeline it executes */
    String pipeline();

    /** @return its current state */
    RunState state();

    /** @return the events so far, in order */
    List<RunEvent> events();

    /** Asks the run to pause at the next batch boundary. */
    void pause();

    /** Resumes a paused run. */
    void resume();

    /** Asks the run to stop at the next batch boundary, keeping completed work. */
    void cancel();

    /**
     * Waits for the run to reach a terminal state.
     *
     * @param timeout the longest to wait
     * @return the state reached, or the current state if the time ran out
     * @throws InterruptedException if the waiting thread is interrupted
     */
    RunState await(Duration timeout) throws InterruptedException;
}
