package org.synthloom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Runs {@code bench --quick} in-process against this checkout (its runtime jar, if built, and the
 * peer, if Python with torch is installed) and checks the output's form: every figure exactly once,
 * in order, as a number with its unit and how it was measured, or as n/a with a reason. No timing
 * is asserted: the machine is shared.
 */
class BenchQuickTest {

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)? \\S+ \\(.+\\)");
    private static final Pattern NA = Pattern.compile("n/a \\(.+\\)");

    @Test
    void quickPrintsEveryFigureOnce() {
        Path checkout = Path.of(System.getProperty("synthloom.home", "..")).toAbsolutePath().normalize();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Bench.run(Bench.Options.parse(new String[] {"--quick"}, checkout), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        List<String> lines = printed.lines().toList();
        List<String> keys = new ArrayList<>(Figures.KEYS.keySet());
        assertEquals(keys.size(), lines.size(), "one line per figure:\n" + printed + "\nlog:\n" + log);
        for (int i = 0; i < keys.size(); i++) {
            String prefix = "bench " + keys.get(i) + ": ";
            String line = lines.get(i);
            assertTrue(line.startsWith(prefix), "line " + i + " should be " + keys.get(i) + ": " + line);
            String value = line.substring(prefix.length());
            assertTrue(NUMBER.matcher(value).matches() || NA.matcher(value).matches(),
                    "neither a number with unit and method nor n/a with a reason: " + line);
        }
        // The engine is on the test class path, so Synthloom's own clip-tiny figures must be measured.
        for (String key : List.of("clip_tiny.synthloom_samples_per_s", "clip_tiny.gemm_ceiling_gflop_per_s",
                "clip_tiny.step_fraction_of_gemm", "clips.samples_per_s_text_64", "clips.samples_per_s_text_32",
                "clips.samples_per_s_text_16")) {
            String line = lines.get(keys.indexOf(key));
            assertTrue(NUMBER.matcher(line.substring(("bench " + key + ": ").length())).matches(),
                    "Synthloom's clip-tiny figure must be a number: " + line + "\nlog:\n" + log);
        }
    }
}
