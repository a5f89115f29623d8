package org.synthloom.experiments.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;
import org.synthloom.store.RunRecord;
import org.synthloom.store.internal.H2RunStore;

/**
 * The experiment runner with pipelines that "train" instantly: each run records a start, an
 * evaluation metric computed from its variant and seed, and its end in the real run store.
 */
class ExperimentExecutionTest {

    @TempDir
    Path dir;

    /** Fake pipelines: a run's cider_d is variant offset + seed / 100; some runs can be told to fail or to hang. */
    static final class FakePipelines implements ExperimentExecution.Pipelines {
        final H2RunStore store;
        final List<String> started = new CopyOnWriteArrayList<>();
        final Set<String> removed = ConcurrentHashMap.newKeySet();
        volatile Predicate<String> failing = name -> false;
        volatile Predicate<String> hanging = name -> false;
        final CountDownLatch hung = new CountDownLatch(1);

        FakePipelines(H2RunStore store) {
            this.store = store;
        }

        @Override
        public ExperimentExecution.Prepared prepare(String name, Variant variant, long seed) {
            String hash = "hash-" + name + "-" + variant.settings();
            double offset = Double.parseDouble(variant.settings().getOrDefault("offset", "0"));
            Pipeline pipeline = new Pipeline() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Run start() {
                    started.add(name);
                    RunRecord record = store.createRun(name, hash, "{}");
                    FakeRun run = new FakeRun(record.id(), name);
                    Thread t = new Thread(() -> run.play(store, offset + seed / 100.0, failing.test(name),
                            hanging.test(name) ? hung : null));
                    t.setDaemon(true);
                    t.start();
                    return run;
                }

                @Override
                public Optional<Run> currentRun() {
                    return Optional.empty();
                }
            };
            return new ExperimentExecution.Prepared(pipeline, hash);
        }

        @Override
        public void remove(String name) {
            removed.add(name);
        }
    }

    static final class FakeRun implements Run {
        private final String id;
        private final String pipeline;
        private RunState state = RunState.RUNNING;
        private volatile boolean cancel;

        FakeRun(String id, String pipeline) {
            this.id = id;
            this.pipeline = pipeline;
        }

        void play(H2RunStore store, double cider, boolean fail, CountDownLatch hang) {
            long seq = 0;
            store.record(RunEvent.builder(RunEvent.Type.STARTED, id, seq++).message("start").build());
            if (hang != null) {
                hang.countDown();
                while (!cancel) {
                    Thread.onSpinWait();
                }
                store.record(RunEvent.builder(RunEvent.Type.CANCELLED, id, seq).message("cancelled").build());
                end(RunState.CANCELLED);
                return;
            }
            if (fail) {
                store.record(RunEvent.builder(RunEvent.Type.FAILED, id, seq).message("objective exploded").build());
                end(RunState.FAILED);
                return;
            }
            store.record(RunEvent.builder(RunEvent.Type.METRIC, id, seq++).message("train").metric("loss", 1.0).build());
            store.record(RunEvent.builder(RunEvent.Type.METRIC, id, seq++).message(ExperimentExecution.EVALUATE)
                    .metric("cider_d", cider).metric("bleu_4", cider / 2).build());
            store.record(RunEvent.builder(RunEvent.Type.FINISHED, id, seq).message("done").build());
            end(RunState.FINISHED);
        }

        private synchronized void end(RunState s) {
            state = s;
            notifyAll();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String pipeline() {
            return pipeline;
        }

        @Override
        public synchronized RunState state() {
            return state;
        }

        @Override
        public List<RunEvent> events() {
            return List.of();
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void cancel() {
            cancel = true;
        }

        @Override
        public synchronized RunState await(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (!state.isTerminal() && System.nanoTime() < end) {
                wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            }
            return state;
        }
    }

    private static ExperimentSpec spec(List<String> metrics) {
        return spec(metrics, true);
    }

    private static ExperimentSpec spec(List<String> metrics, boolean reuseFinishedRuns) {
        return new ExperimentSpec("exp", "a test", "base", List.of(Variant.parse("low: offset=0"),
                Variant.parse("high: offset=1")), List.of(1L, 2L, 3L), metrics, false, reuseFinishedRuns, List.of());
    }

    @Test
    void everyVariantRunsWithEverySeedAndTheTableHasMeanAndSpread() throws Exception {
        try (H2RunStore store = new H2RunStore(dir)) {
            FakePipelines pipelines = new FakePipelines(store);
            ExperimentExecution execution = new ExperimentExecution(spec(List.of()), pipelines, store);
            execution.start();
            assertEquals(RunState.FINISHED, execution.await(Duration.ofMinutes(1)), execution.summary());
            assertEquals(List.of("exp.low.s1", "exp.high.s1", "exp.low.s2", "exp.high.s2", "exp.low.s3", "exp.high.s3"),
                    pipelines.started, "seed by seed, so a full table of one seed comes first");
            assertEquals("6/6", execution.progress());
            String md = Files.readString(execution.table().orElseThrow());
            assertTrue(md.contains("| variant | cider_d | bleu_4 |"), "evaluation metrics only, not the training loss: " + md);
            assertTrue(md.contains("| low | 0.0200 ± 0.0100 (3) | 0.0100 ± 0.0050 (3) |"), md);
            assertTrue(md.contains("| high | 1.020 ± 0.0100 (3) |"), md);
            assertTrue(Files.exists(dir.resolve("experiments/exp/cider_d.png")));
            assertEquals(6, store.runsTagged("experiment", "exp").size());
            RunRecord run = store.runsTagged("experiment", "exp").get(0);
            assertEquals(Set.of("experiment", "variant", "seed"), store.tags(run.id()).keySet());
            assertEquals(Set.copyOf(pipelines.started), pipelines.removed, "generated pipelines are removed");

            // Started again, every run is found finished: nothing runs, the table is the same.
            ExperimentExecution again = new ExperimentExecution(spec(List.of()), pipelines, store);
            again.start();
            assertEquals(RunState.FINISHED, again.await(Duration.ofMinutes(1)));
            assertEquals(6, pipelines.started.size(), "finished runs are reused");
            assertEquals(md, Files.readString(again.table().orElseThrow()));

            // Told not to reuse finished runs, every run starts again and the table takes the new runs.
            ExperimentExecution rerun = new ExperimentExecution(spec(List.of(), false), pipelines, store);
            rerun.start();
            assertEquals(RunState.FINISHED, rerun.await(Duration.ofMinutes(1)));
            assertEquals(12, pipelines.started.size(), "every run started again");
            assertEquals(12, store.runsTagged("experiment", "exp").size());
        }
    }

    @Test
    void chosenMetricsComeFromTheRunsLatestValues() throws Exception {
        try (H2RunStore store = new H2RunStore(dir)) {
            ExperimentExecution execution = new ExperimentExecution(spec(List.of("loss", "cider_d")),
                    new FakePipelines(store), store);
            execution.start();
            assertEquals(RunState.FINISHED, execution.await(Duration.ofMinutes(1)));
            assertTrue(execution.summary().contains("| variant | loss | cider_d |"), execution.summary());
            assertTrue(execution.summary().contains("| low | 1.000 ± 0.0000 (3) |"), execution.summary());
        }
    }

    @Test
    void aFailedRunIsReportedAndTheOthersStillRun() throws Exception {
        try (H2RunStore store = new H2RunStore(dir)) {
            FakePipelines pipelines = new FakePipelines(store);
            pipelines.failing = name -> name.equals("exp.high.s2");
            ExperimentExecution execution = new ExperimentExecution(spec(List.of()), pipelines, store);
            execution.start();
            assertEquals(RunState.FAILED, execution.await(Duration.ofMinutes(1)));
            assertEquals(6, pipelines.started.size());
            String summary = execution.summary();
            assertTrue(summary.contains("| high | 1.020 ± 0.0141 (2) |"), summary);
            assertTrue(summary.contains("- exp.high.s2 ("), summary);
        }
    }

    @Test
    void cancellingStopsTheRunInProgressAndTheRest() throws Exception {
        try (H2RunStore store = new H2RunStore(dir)) {
            FakePipelines pipelines = new FakePipelines(store);
            pipelines.hanging = name -> name.equals("exp.high.s1");
            ExperimentExecution execution = new ExperimentExecution(spec(List.of()), pipelines, store);
            execution.start();
            pipelines.hung.await();
            assertTrue(execution.currentRun().isPresent());
            execution.cancel();
            assertEquals(RunState.CANCELLED, execution.await(Duration.ofMinutes(1)));
            assertEquals(new ArrayList<>(List.of("exp.low.s1", "exp.high.s1")), new ArrayList<>(pipelines.started));
            assertTrue(execution.summary().contains("| low | 0.0100 ± 0.0000 (1) |"), execution.summary());
            assertEquals(Map.of("experiment", "exp", "variant", "high", "seed", "1"),
                    store.tags(store.runsTagged("variant", "high").get(0).id()));
        }
    }
}
