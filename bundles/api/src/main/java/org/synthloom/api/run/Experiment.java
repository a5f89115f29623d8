package org.synthloom.api.run;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A configured experiment: a base pipeline, named variants (the settings that differ, such as a
 * human-data budget or a loss) and seeds. Running it runs every variant with every seed as its own
 * pipeline, reuses the runs that already finished, and writes the result table (mean and spread
 * per variant and metric) with a plot per metric. Registered as a service with the property
 * {@value #NAME_PROPERTY}.
 */
@ProviderType
public interface Experiment {

    /** Service property carrying the experiment's name. */
    String NAME_PROPERTY = "synthloom.experiment";

    /** @return the experiment's name */
    String name();

    /** @return the name of the pipeline whose configuration the variants change */
    String pipeline();

    /** @return the variants' names, in table order */
    List<String> variants();

    /** @return the seeds every variant runs with */
    List<Long> seeds();

    /**
     * Starts the experiment on its own thread, or returns the one already working.
     *
     * @return the experiment's execution
     */
    ExperimentRun start();

    /** @return the execution started last in this framework, working or ended; empty if none */
    Optional<ExperimentRun> current();
}
