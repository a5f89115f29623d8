package org.synthloom.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.synthloom.api.run.Run;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;

class HelloPipelineTest {

    private final List<RunEvent> received = new CopyOnWriteArrayList<>();

    private HelloPipeline pipeline(Map<String, Object> config) {
        HelloPipeline pipeline = new HelloPipeline(new ClasspathDevices(), Configs.of(HelloConfig.class, config));
        pipeline.addListener(received::add);
        return pipeline;
    }

    private static List<Double> losses(List<RunEvent> events) {
        return events.stream().filter(e -> e.type() == RunEvent.Type.METRIC).map(e -> e.metrics().get("loss")).toList();
    }

    @Test
    void theLossFallsAndEveryEventReachesListenersInOrder() throws Exception {
        Run run = pipeline(Map.of("steps", 150, "report_every", 10)).start();
        assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(2)));
        List<RunEvent> events = run.events();
        assertEquals(events, received, "listeners see exactly the run's events");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).sequence());
        }
        assertEquals(RunEvent.Type.STARTED, events.get(0).type());
        assertEquals(RunEvent.Type.FINISHED, events.get(events.size() - 1).type());
        List<Double> losses = losses(events);
        assertEquals(15, losses.size());
        double first = losses.get(0);
        double last = losses.get(losses.size() - 1);
        assertTrue(last < first / 5, "loss fell from " + first + " to " + last);
    }

    @Test
    void theSameSeedGivesTheSameLosses() throws Exception {
        Map<String, Object> config = Map.of("steps", 30, "report_every", 10, "seed", 7L);
        Run a = pipeline(config).start();
        a.await(Duration.ofMinutes(1));
        Run b = pipeline(config).start();
        b.await(Duration.ofMinutes(1));
        assertEquals(losses(a.events()), losses(b.events()));
    }

    @Test
    void aRunPausesAtABatchBoundaryResumesAndCanBeCancelled() throws Exception {
        HelloPipeline pipeline = pipeline(Map.of("steps", 100_000, "report_every", 5));
        Run run = pipeline.start();
        run.pause();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (run.state() != RunState.PAUSED && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(RunState.PAUSED, run.state());
        int eventsWhilePaused = run.events().size();
        Thread.sleep(200);
        assertEquals(eventsWhilePaused, run.events().size(), "no work while paused");
        assertThrows(IllegalStateException.class, pipeline::start, "one run at a time");
        run.resume();
        while (run.events().stream().noneMatch(e -> e.type() == RunEvent.Type.RESUMED)) {
            Thread.sleep(10);
        }
        run.cancel();
        assertEquals(RunState.CANCELLED, run.await(Duration.ofSeconds(30)));
        List<RunEvent.Type> types = run.events().stream().map(RunEvent::type).toList();
        assertTrue(types.indexOf(RunEvent.Type.PAUSED) < types.indexOf(RunEvent.Type.RESUMED), types.toString());
        assertEquals(RunEvent.Type.CANCELLED, types.get(types.size() - 1));
    }

    @Test
    void aBadDeviceFailsTheRunWithTheReason() throws Exception {
        Run run = pipeline(Map.of("device", "tpu")).start();
        assertEquals(RunState.FAILED, run.await(Duration.ofSeconds(30)));
        RunEvent last = run.events().get(run.events().size() - 1);
        assertEquals(RunEvent.Type.FAILED, last.type());
        assertTrue(last.message().contains("tpu"), last.message());
    }
}
