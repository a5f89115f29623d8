package org.synthloom.api.run;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A configured pipeline the engine can run, registered as a service with the property
 * {@value #NAME_PROPERTY}.
 */
@ProviderType
public interface Pipeline {

    /** Service property carrying the pipeline's name. */
    String NAME_PROPERTY = "synthloom.pipeline";

    /**
     * Service property carrying the hash of the pipeline's effective configuration: the hash its
     * runs are recorded with, so a finished run of the same configuration can be found.
     */
    String HASH_PROPERTY = "synthloom.pipeline.hash";

    /** @return the pipeline's name */
    String name();

    /**
     * Starts a run, resuming the pipeline's previous work if any.
     *
     * @return the run, already working
     * @throws IllegalStateException if a run of this pipeline is already working
     */
    Run start();

    /**
     * @return the run this pipeline started last in this framework, working or ended; empty if it
     *     started none (earlier runs are in the run store)
     */
    Optional<Run> currentRun();
}
