package org.synthloom.experiments.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.run.ExperimentRun;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;
import org.synthloom.store.RunRecord;
import org.synthloom.store.RunStore;

/**
 * Runs an experiment on its own thread: for each seed, each variant's pipeline (prepared by
 * {@link Pipelines}) is run to its end, or its finished run of the same configuration is reused (unless
 * the experiment asks to start every run again, reusing only completed stages);
 * the run is tagged with the experiment, variant and seed in the run store, and the result table is
 * rewritten after every run so that partial results are visible. A failed run is reported in the
 * table's log and the experiment goes on; a cancelled one stops it.
 */
final class ExperimentExecution implements ExperimentRun {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentExecution.class);
    /** The evaluation stage's metric event carries this message. */
    static final String EVALUATE = "evaluate";

    /** Makes the pipeline of one variant and seed exist, and removes it afterwards. */
    interface Pipelines {
        /**
         * @param name the pipeline's name
         * @return the pipeline, configured for the variant and seed, with its configuration hash
         * @throws Exception if it cannot be configured or does not appear
         */
        Prepared prepare(String name, Variant variant, long seed) throws Exception;

        /** Removes a pipeline {@link #prepare} made. */
        void remove(String name);
    }

    /** A prepared pipeline. */
    record Prepared(Pipeline pipeline, String hash) {}

    private final ExperimentSpec spec;
    private final Pipelines pipelines;
    private final RunStore store;
    private final Path directory;
    private final ResultTable table;
    private final Thread thread;
    private final List<String> failures = new ArrayList<>();
    private volatile Run current;
    private volatile boolean cancelled;
    private volatile int done;
    private volatile Path written;
    private RunState state = RunState.RUNNING;

    ExperimentExecution(ExperimentSpec spec, Pipelines pipelines, RunStore store) {
        this.spec = spec;
        this.pipelines = pipelines;
        this.store = store;
        this.directory = store.dataDirectory().resolve("experiments").resolve(spec.name());
        this.table = new ResultTable(spec.name(), spec.description(), spec.variants().stream().map(Variant::name).toList(),
                spec.metrics());
        this.thread = new Thread(this::execute, "synthloom-experiment-" + spec.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** @return the name of the pipeline a variant runs as with a seed */
    static String pipelineName(String experiment, String variant, long seed) {
        return experiment + "." + variant + ".s" + seed;
    }

    private void execute() {
        List<String> prepared = new ArrayList<>();
        RunState end = RunState.FINISHED;
        try {
            Files.createDirectories(directory);
            outer:
            for (long seed : spec.seeds()) {
                for (Variant variant : spec.variants()) {
                    if (cancelled) {
                        end = RunState.CANCELLED;
                        break outer;
                    }
                    String name = pipelineName(spec.name(), variant.name(), seed);
                    Prepared pipeline = pipelines.prepare(name, variant, seed);
                    prepared.add(name);
                    Optional<RunRecord> finished = spec.reuseFinishedRuns() ? finishedRun(name, pipeline.hash())
                            : Optional.empty();
                    String runId;
                    RunState result;
                    if (finished.isPresent()) {
                        runId = finished.get().id();
                        result = RunState.FINISHED;
                        LOG.info("experiment {}: {} reuses finished run {}", spec.name(), name, runId);
                    } else {
                        Run run = pipeline.pipeline().start();
                        current = run;
                        runId = run.id();
                        result = awaitEnd(run);
                    }
                    store.tag(runId, "experiment", spec.name());
                    store.tag(runId, "variant", variant.name());
                    store.tag(runId, "seed", Long.toString(seed));
                    if (result == RunState.FINISHED) {
                        table.add(new ResultTable.Entry(variant.name(), seed, runId, metrics(runId)));
                    } else if (result == RunState.CANCELLED || cancelled) {
                        end = RunState.CANCELLED;
                        break outer;
                    } else {
                        String reason = store.run(runId).map(RunRecord::summary).orElse("");
                        failures.add(name + " (" + runId + "): " + result + (reason.isBlank() ? "" : ", " + reason));
                        LOG.warn("experiment {}: {} ended {}", spec.name(), name, result);
                    }
                    done++;
                    written = table.write(directory);
                }
            }
            if (end == RunState.FINISHED && !failures.isEmpty()) {
                end = RunState.FAILED;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end = RunState.CANCELLED;
        } catch (Exception e) {
            LOG.error("experiment {} failed", spec.name(), e);
            failures.add(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
            end = RunState.FAILED;
        } finally {
            current = null;
            try {
                written = table.write(directory);
            } catch (Exception e) {
                LOG.warn("experiment {}: the result table could not be written: {}", spec.name(), e.toString());
            }
            if (!spec.keepPipelines()) {
                prepared.forEach(pipelines::remove);
            }
            setState(end);
        }
    }

    private Optional<RunRecord> finishedRun(String pipeline, String hash) {
        return store.runs().stream().filter(r -> r.pipeline().equals(pipeline) && r.configurationHash().equals(hash)
                && r.state() == RunState.FINISHED).max(Comparator.comparing(RunRecord::updated));
    }

    private RunState awaitEnd(Run run) throws InterruptedException {
        RunState s = run.state();
        boolean cancelSent = false;
        while (!s.isTerminal()) {
            if (cancelled && !cancelSent) {
                run.cancel();
                cancelSent = true;
            }
            s = run.await(Duration.ofMillis(250));
        }
        return s;
    }

    /** @return the metrics to tabulate: the configured ones from the run's latest values, else its evaluation results */
    private Map<String, Double> metrics(String runId) {
        Map<String, Double> latest = store.latestMetrics(runId);
        Map<String, Double> chosen = new LinkedHashMap<>();
        if (!spec.metrics().isEmpty()) {
            for (String name : spec.metrics()) {
                Double v = latest.get(name);
                if (v != null) {
                    chosen.put(name, v);
                }
            }
            return chosen;
        }
        List<RunEvent> events = store.events(runId);
        for (int i = events.size() - 1; i >= 0; i--) {
            RunEvent e = events.get(i);
            if (e.type() == RunEvent.Type.METRIC && EVALUATE.equals(e.message())) {
                return new LinkedHashMap<>(e.metrics());
            }
        }
        return chosen;
    }

    private synchronized void setState(RunState next) {
        state = next;
        notifyAll();
    }

    @Override
    public String experiment() {
        return spec.name();
    }

    @Override
    public Optional<Run> currentRun() {
        return Optional.ofNullable(current);
    }

    @Override
    public String progress() {
        return done + "/" + spec.variants().size() * spec.seeds().size();
    }

    @Override
    public synchronized RunState state() {
        return state;
    }

    @Override
    public synchronized RunState await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!state.isTerminal()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            wait(Math.max(1, remaining / 1_000_000));
        }
        return state;
    }

    @Override
    public void cancel() {
        cancelled = true;
        Run run = current;
        if (run != null) {
            run.cancel();
        }
    }

    @Override
    public Optional<Path> table() {
        return Optional.ofNullable(written);
    }

    @Override
    public String summary() {
        String md = table.markdown();
        if (failures.isEmpty()) {
            return md;
        }
        return md + "\nRuns that did not finish:\n" + String.join("\n", failures.stream().map(f -> "- " + f).toList()) + "\n";
    }
}
