package org.synthloom.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;
import org.synthloom.store.MetricPoint;
import org.synthloom.store.RunRecord;

class H2RunStoreTest {

    @TempDir
    Path data;

    private static RunEvent event(RunEvent.Type type, String run, long seq, long step) {
        return RunEvent.builder(type, run, seq).step(step, 100).build();
    }

    @Test
    void recordsEventsAndMetricsAndFollowsTheRunState() {
        H2RunStore store = new H2RunStore(data);
        try {
            RunRecord run = store.createRun("shapes-clip", "abc123", "{\"seed\":1}");
            assertEquals(RunState.PENDING, run.state());
            assertEquals(0, store.nextSequence(run.id()));
            store.record(event(RunEvent.Type.STARTED, run.id(), 0, 0));
            assertEquals(RunState.RUNNING, store.run(run.id()).orElseThrow().state());
            store.record(RunEvent.builder(RunEvent.Type.METRIC, run.id(), 1).step(10, 100).metric("loss", 2.5)
                    .metric("accuracy", 0.1).build());
            store.record(RunEvent.builder(RunEvent.Type.METRIC, run.id(), 2).step(20, 100).metric("loss", 1.5).build());
            store.record(RunEvent.builder(RunEvent.Type.PROGRESS, run.id(), 3).step(20, 100).eta(Duration.ofSeconds(9))
                    .message("train").build());
            assertEquals(List.of(new MetricPoint(10, 2.5), new MetricPoint(20, 1.5)), store.metric(run.id(), "loss"));
            assertEquals(Map.of("loss", 1.5, "accuracy", 0.1), store.latestMetrics(run.id()));
            assertEquals(4, store.nextSequence(run.id()));
            List<RunEvent> events = store.events(run.id());
            assertEquals(4, events.size());
            assertEquals(Duration.ofSeconds(9), events.get(3).eta().orElseThrow());
            assertEquals("train", events.get(3).message());
            assertEquals(2.5, events.get(1).metrics().get("loss"));
            store.record(RunEvent.builder(RunEvent.Type.FINISHED, run.id(), 4).step(100, 100).message("done: R@1 0.5").build());
            RunRecord finished = store.run(run.id()).orElseThrow();
            assertEquals(RunState.FINISHED, finished.state());
            assertEquals("done: R@1 0.5", finished.summary());
        } finally {
            store.close();
        }
    }

    @Test
    void runsAreTaggedAndFoundByTagAfterTheStoreIsReopened() {
        String a;
        String b;
        H2RunStore store = new H2RunStore(data);
        try {
            a = store.createRun("e.v1.s1", "h1", "{}").id();
            b = store.createRun("e.v2.s1", "h2", "{}").id();
            store.createRun("other", "h3", "{}");
            store.tag(a, "experiment", "e");
            store.tag(b, "experiment", "e");
            store.tag(a, "variant", "v1");
            store.tag(a, "variant", "v1-renamed");
            assertEquals(java.util.Map.of("experiment", "e", "variant", "v1-renamed"), store.tags(a));
            assertThrows(IllegalArgumentException.class, () -> store.tag("no-such-run", "k", "v"));
        } finally {
            store.close();
        }
        H2RunStore reopened = new H2RunStore(data);
        try {
            assertEquals(java.util.Set.of(a, b), reopened.runsTagged("experiment", "e").stream().map(RunRecord::id)
                    .collect(java.util.stream.Collectors.toSet()));
            assertTrue(reopened.runsTagged("experiment", "none").isEmpty());
            assertTrue(reopened.tags(reopened.runs().get(0).id()).isEmpty(), "an untagged run has no tags");
        } finally {
            reopened.close();
        }
    }

    @Test
    void recordingAnEventTwiceChangesNothing() {
        H2RunStore store = new H2RunStore(data);
        try {
            RunRecord run = store.createRun("p", "h", "{}");
            RunEvent metric = RunEvent.builder(RunEvent.Type.METRIC, run.id(), 0).step(1, 1).metric("loss", 1).build();
            store.record(metric);
            store.record(metric);
            assertEquals(1, store.events(run.id()).size());
            assertEquals(1, store.metric(run.id(), "loss").size());
        } finally {
            store.close();
        }
    }

    @Test
    void anInterruptedRunIsFoundForResumeAfterTheStoreIsReopened() {
        H2RunStore store = new H2RunStore(data);
        String id;
        try {
            RunRecord finished = store.createRun("p", "h1", "{}");
            store.record(event(RunEvent.Type.STARTED, finished.id(), 0, 0));
            store.record(event(RunEvent.Type.FINISHED, finished.id(), 1, 100));
            RunRecord killed = store.createRun("p", "h1", "{}");
            store.record(event(RunEvent.Type.STARTED, killed.id(), 0, 0));
            store.record(RunEvent.builder(RunEvent.Type.METRIC, killed.id(), 1).step(5, 100).metric("loss", 3).build());
            id = killed.id();
        } finally {
            store.close(); // as if the process died: nothing more is written
        }
        H2RunStore reopened = new H2RunStore(data);
        try {
            RunRecord resume = reopened.unfinishedRun("p", "h1").orElseThrow();
            assertEquals(id, resume.id());
            assertEquals(RunState.RUNNING, resume.state());
            assertEquals(2, reopened.nextSequence(id));
            assertEquals(List.of(new MetricPoint(5, 3)), reopened.metric(id, "loss"));
            assertTrue(reopened.unfinishedRun("p", "another-config").isEmpty());
            assertTrue(reopened.unfinishedRun("q", "h1").isEmpty());
            assertEquals(2, reopened.runs().size());
        } finally {
            reopened.close();
        }
    }

    @Test
    void eventsOfRunsItDidNotCreateAreStillRecorded() {
        H2RunStore store = new H2RunStore(data);
        try {
            store.record(event(RunEvent.Type.STARTED, "hello-1", 0, 0));
            assertEquals(RunState.RUNNING, store.run("hello-1").orElseThrow().state());
        } finally {
            store.close();
        }
    }

    @Test
    void pathsStayInsideTheDataDirectory() {
        H2RunStore store = new H2RunStore(data);
        try {
            assertEquals(data.toAbsolutePath().resolve("artifacts").resolve("shards"), store.artifacts("shards"));
            assertTrue(store.runDirectory("run-1").startsWith(store.dataDirectory()));
            assertThrows(IllegalArgumentException.class, () -> store.runDirectory("../escape"));
            assertThrows(IllegalArgumentException.class, () -> store.artifacts("a/b"));
            assertThrows(IllegalArgumentException.class, () -> store.runDirectory(".."));
        } finally {
            store.close();
        }
    }

    @Test
    void aSecondProcessOnTheSameDataDirectoryGetsAClearError() throws Exception {
        H2RunStore store = new H2RunStore(data);
        try {
            // Another JVM cannot share the database file; within one JVM H2 would share it, so ask a child JVM.
            ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), OpenStore.class.getName(), data.toString());
            Process p = child.redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            assertTrue(output.contains("in use by another process"), output);
        } finally {
            store.close();
        }
    }

    /** Opens a store in a child JVM and prints the error. */
    public static final class OpenStore {
        public static void main(String[] args) {
            try {
                new H2RunStore(Path.of(args[0])).close();
                System.out.println("opened");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void aStepReportedAgainAfterAResumeCountsOnceWithItsLatestValue() {
        try (H2RunStore store = new H2RunStore(data)) {
            RunRecord run = store.createRun("p", "h", "{}");
            store.record(RunEvent.builder(RunEvent.Type.METRIC, run.id(), 0).step(10, 30).metric("loss", 3).build());
            store.record(RunEvent.builder(RunEvent.Type.METRIC, run.id(), 1).step(20, 30).metric("loss", 2).build());
            // killed after step 20 was reported but before its checkpoint: the resumed run redoes step 20
            store.record(RunEvent.builder(RunEvent.Type.METRIC, run.id(), 2).step(20, 30).metric("loss", 2.5).build());
            store.record(RunEvent.builder(RunEvent.Type.METRIC, run.id(), 3).step(30, 30).metric("loss", 1).build());
            assertEquals(List.of(new MetricPoint(10, 3), new MetricPoint(20, 2.5), new MetricPoint(30, 1)),
                    store.metric(run.id(), "loss"));
            assertEquals(4, store.events(run.id()).size(), "both reports stay in the events");
        }
    }
}
