package org.synthloom.api.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One execution of an {@link Experiment}: its pipeline runs one after the other, each a
 * {@link Run} with its own events.
 */
@ProviderType
public interface ExperimentRun {

    /** @return the experiment's name */
    String experiment();

    /** @return the pipeline run in progress, if any */
    Optional<Run> currentRun();

    /** @return runs done (finished now or found finished) out of all, as {@code done/total} */
    String progress();

    /** @return its state: running until every run ended, then finished, failed or cancelled */
    RunState state();

    /**
     * Waits for the experiment to end.
     *
     * @param timeout the longest to wait
     * @return the state reached, or the current state if the time ran out
     * @throws InterruptedException if the waiting thread is interrupted
     */
    RunState await(Duration timeout) throws InterruptedException;

    /** Stops after the run in progress, which is cancelled (its completed work is kept). */
    void cancel();

    /** @return the Markdown result table written so far, or empty before the first run ended */
    Optional<Path> table();

    /** @return the result table as Markdown, as it stands */
    String summary();
}
