package org.synthloom.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.synthloom.api.run.RunEvent;

/**
 * Runs, their events and metrics, and the data directory their artifacts live in. The store also
 * records the events of every run by itself, as a {@link org.synthloom.api.run.RunListener}
 * service; states follow the events (started, paused, failed, finished, ...).
 */
@ProviderType
public interface RunStore {

    /** @return the data directory (absolute); everything Synthloom writes lives below it */
    Path dataDirectory();

    /**
     * @param kind a family of artifacts, e.g. {@code captions}, {@code shards}, {@code checkpoints}
     * @return the directory of that family, created if missing
     */
    Path artifacts(String kind);

    /**
     * @param runId a run id
     * @return the run's own directory (results, exported configuration), created if missing
     */
    Path runDirectory(String runId);

    /**
     * Creates a run in state {@code PENDING}.
     *
     * @param pipeline the pipeline's name
     * @param configurationHash hash of the configuration
     * @param configuration the configuration as JSON
     * @return the run
     */
    RunRecord createRun(String pipeline, String configurationHash, String configuration);

    /**
     * @param runId a run id
     * @return the run, if the store knows it
     */
    Optional<RunRecord> run(String runId);

    /**
     * Finds the run a new start of a pipeline resumes: the newest run of that pipeline with the same
     * configuration hash that did not finish (it failed, was cancelled, paused, or its process was
     * killed while running).
     *
     * @param pipeline the pipeline's name
     * @param configurationHash hash of the configuration
     * @return the run to resume, if any
     */
    Optional<RunRecord> unfinishedRun(String pipeline, String configurationHash);

    /** @return every run, newest first */
    List<RunRecord> runs();

    /**
     * Labels a run, e.g. with the experiment, variant and seed it belongs to, so that runs can be
     * grouped and compared. Setting a key again replaces its value.
     *
     * @param runId a run id the store knows
     * @param key the label's name, e.g. {@code experiment}
     * @param value its value
     */
    void tag(String runId, String key, String value);

    /**
     * @param runId a run id
     * @return the run's labels by name, empty if it has none
     */
    Map<String, String> tags(String runId);

    /**
     * @param key a label's name
     * @param value its value
     * @return the runs carrying the label, newest first
     */
    List<RunRecord> runsTagged(String key, String value);

    /**
     * Records an event and the metrics it carries, and moves the run's state accordingly.
     * Recording the same event twice (same run and sequence) has no further effect.
     *
     * @param event the event
     */
    void record(RunEvent event);

    /**
     * @param runId a run id
     * @return the run's events in sequence order
     */
    List<RunEvent> events(String runId);

    /**
     * @param runId a run id
     * @return the sequence number its next event gets: one more than the highest recorded
     */
    long nextSequence(String runId);

    /**
     * @param runId a run id
     * @param name a metric name, e.g. {@code loss}
     * @return its values in step order, one per step: where a step was reported twice (a resumed
     *     run redoes the steps after its last checkpoint) the latest report; the events keep both
     */
    List<MetricPoint> metric(String runId, String name);

    /**
     * @param runId a run id
     * @return the last value of each metric the run reported
     */
    Map<String, Double> latestMetrics(String runId);
}
