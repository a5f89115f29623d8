package org.synthloom.api.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RunEventTest {

    @Test
    void metricEventCarriesStepAndValues() {
        RunEvent e = RunEvent.builder(RunEvent.Type.METRIC, "run-1", 3).step(10, 40).metric("loss", 0.25).build();
        assertEquals(10, e.step());
        assertEquals(40, e.totalSteps());
        assertEquals(0.25, e.metrics().get("loss"));
        assertTrue(e.eta().isEmpty());
        assertEquals("run-1#3 METRIC step 10/40 {loss=0.25}", e.toString());
    }

    @Test
    void progressEventCarriesEta() {
        RunEvent e = RunEvent.builder(RunEvent.Type.PROGRESS, "run-1", 4).step(5, 10).eta(Duration.ofSeconds(12)).build();
        assertEquals(Duration.ofSeconds(12), e.eta().orElseThrow());
    }

    @Test
    void rejectsNegativeSequence() {
        assertThrows(IllegalArgumentException.class, () -> RunEvent.builder(RunEvent.Type.STARTED, "r", -1));
    }

    @Test
    void terminalStates() {
        assertTrue(RunState.FINISHED.isTerminal());
        assertTrue(RunState.FAILED.isTerminal());
        assertTrue(RunState.CANCELLED.isTerminal());
        assertFalse(RunState.PAUSED.isTerminal());
        assertFalse(RunState.RUNNING.isTerminal());
    }

    @Test
    void eventsAreValuesWithMillisecondTimes() {
        java.time.Instant t = java.time.Instant.parse("2026-11-23T10:15:30.123456789Z");
        RunEvent a = RunEvent.builder(RunEvent.Type.METRIC, "r", 1).time(t).step(2, 3).metric("loss", 1.5).build();
        RunEvent b = RunEvent.builder(RunEvent.Type.METRIC, "r", 1).time(t).step(2, 3).metric("loss", 1.5).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(java.time.Instant.parse("2026-11-23T10:15:30.123Z"), a.time());
        assertFalse(a.equals(RunEvent.builder(RunEvent.Type.METRIC, "r", 1).time(t).step(2, 3).metric("loss", 1.25).build()));
    }
}
