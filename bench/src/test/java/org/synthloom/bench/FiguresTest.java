package org.synthloom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The output's form: fixed order, first report wins, unreported figures are n/a. */
class FiguresTest {

    @Test
    void printsInKeyOrderWithNaForWhatWasNotReported() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Figures figures = new Figures(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        figures.value("runtime.hot_swap_ms", 412.4, "how");
        figures.na("clip_tiny.peer_samples_per_s", "no torch");
        figures.value("clip_tiny.step_fraction_of_gemm", 0.1234, "ratio");
        figures.na("runtime.hot_swap_ms", "ignored: reported already");
        figures.value("train.data_wait_fraction", Double.NaN, "a window without steps");
        figures.print();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> keys = List.copyOf(Figures.KEYS.keySet());
        assertEquals(keys.size(), lines.size());
        assertEquals("bench clip_tiny.peer_samples_per_s: n/a (no torch)", lines.get(keys.indexOf("clip_tiny.peer_samples_per_s")));
        assertEquals("bench clip_tiny.step_fraction_of_gemm: 0.123 fraction (ratio)",
                lines.get(keys.indexOf("clip_tiny.step_fraction_of_gemm")));
        assertEquals("bench runtime.hot_swap_ms: 412 ms (how)", lines.get(keys.indexOf("runtime.hot_swap_ms")));
        assertEquals("bench train.data_wait_fraction: n/a (the measurement gave NaN; a window without steps)",
                lines.get(keys.indexOf("train.data_wait_fraction")));
        assertEquals("bench clip_tiny.synthloom_samples_per_s: n/a (not measured: its section did not run)", lines.get(0));
    }

    @Test
    void rejectsUnknownFigures() {
        Figures figures = new Figures(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> figures.value("clip_tiny.nonsense", 1, "x"));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Stats.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
    }
}
