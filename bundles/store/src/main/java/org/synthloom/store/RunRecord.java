package org.synthloom.store;

import java.time.Instant;

import org.synthloom.api.run.RunState;

/**
 * A run as the store knows it.
 *
 * @param id the run id
 * @param pipeline the pipeline's name
 * @param state the last known state (a run killed with its process stays {@code RUNNING} until
 *     it is resumed)
 * @param configurationHash the hash of the configuration it ran with: a new start of the same
 *     pipeline resumes the run only if the hash matches
 * @param configuration the configuration as JSON
 * @param summary the final message, or an empty string
 * @param created when the run was created
 * @param updated when it last changed
 */
public record RunRecord(String id, String pipeline, RunState state, String configurationHash, String configuration,
        String summary, Instant created, Instant updated) {
}
