package org.synthloom.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.synthloom.api.run.RunEvent;

class ProgressPrinterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressPrinter printer = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void barShowsFractionAndCounts() {
        assertEquals("[###############...............]  50% 100/200", ProgressPrinter.bar(100, 200));
        assertEquals("[##############################] 100% 200/200", ProgressPrinter.bar(200, 200));
        assertEquals("step 17", ProgressPrinter.bar(17, 0));
    }

    @Test
    void durationsAndNumbersAreShort() {
        assertEquals("42s", ProgressPrinter.duration(Duration.ofSeconds(42)));
        assertEquals("2m05s", ProgressPrinter.duration(Duration.ofSeconds(125)));
        assertEquals("3h07m", ProgressPrinter.duration(Duration.ofMinutes(187)));
        assertEquals("0.1235", ProgressPrinter.number(0.123456));
        assertEquals("1.235e-05", ProgressPrinter.number(0.0000123456));
    }

    @Test
    void eventsBeforeTheRunIdIsKnownArePrintedOnceFollowed() {
        printer.onEvent(RunEvent.builder(RunEvent.Type.STARTED, "run-2", 0).step(0, 100).build());
        printer.onEvent(RunEvent.builder(RunEvent.Type.STARTED, "other", 0).step(0, 5).build());
        assertEquals("", output());
        printer.follow("run-2");
        assertEquals("started run-2, 100 steps\n", output());
        printer.onEvent(RunEvent.builder(RunEvent.Type.FINISHED, "other", 1).message("x").build());
        assertFalse(output().contains("finished"), "events of other runs are ignored");
    }

    @Test
    void eachStageGetsItsOwnLabelledBarAndOnlyTheLossIsShown() {
        printer.follow("r");
        printer.onEvent(RunEvent.builder(RunEvent.Type.PROGRESS, "r", 0).step(48, 48).message("human").build());
        printer.onEvent(RunEvent.builder(RunEvent.Type.METRIC, "r", 1).step(10, 40).message("train").metric("loss", 2.0)
                .metric("learning_rate", 0.001).build());
        printer.onEvent(RunEvent.builder(RunEvent.Type.PROGRESS, "r", 2).step(10, 40).message("train").build());
        String[] lines = output().split("\n");
        assertEquals("human     [##############################] 100% 48/48", lines[0]);
        assertEquals("train     [#######.......................]  25% 10/40  loss 2.000", lines[1]);
    }

    @Test
    void nonInteractiveOutputPrintsOneLinePerTenthWithLatestMetrics() {
        printer.follow("r");
        for (int step = 1; step <= 100; step++) {
            printer.onEvent(RunEvent.builder(RunEvent.Type.METRIC, "r", 2L * step).step(step, 100)
                    .metric("loss", 1.0 / step).build());
            printer.onEvent(RunEvent.builder(RunEvent.Type.PROGRESS, "r", 2L * step + 1).step(step, 100)
                    .eta(Duration.ofSeconds(100 - step)).build());
        }
        printer.onEvent(RunEvent.builder(RunEvent.Type.FINISHED, "r", 999).message("loss 1 -> 0.01").build());
        String[] lines = output().split("\n");
        assertEquals(12, lines.length, output());
        assertTrue(lines[0].contains(" 1/100") && lines[0].contains("loss 1.000"), lines[0]);
        assertTrue(lines[10].contains("100/100") && lines[10].contains("loss 0.01000") && lines[10].endsWith("ETA 0s"),
                lines[10]);
        assertEquals("finished: loss 1 -> 0.01", lines[11]);
    }
}
