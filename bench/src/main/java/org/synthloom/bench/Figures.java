package org.synthloom.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's output: one line per figure, {@code bench <key>: <value> <unit> (<how>)} or
 * {@code bench <key>: n/a (<reason>)}, each key exactly once, in the order of {@link #KEYS}
 * whatever order the measurements finish in. A figure nobody reported is printed as n/a with the
 * reason its section gave, so a failing section never hides the others.
 */
public final class Figures {

    /** Every figure of the benchmark contracts, in print order, with its unit. */
    public static final Map<String, String> KEYS = keys();

    private final PrintStream out;
    private final Map<String, String> lines = new LinkedHashMap<>();

    /** @param out where the lines go */
    public Figures(PrintStream out) {
        this.out = out;
    }

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("clip_tiny.synthloom_samples_per_s", "samples/s");
        keys.put("clip_tiny.peer_samples_per_s", "samples/s");
        keys.put("clip_tiny.ratio_synthloom_to_peer", "x");
        keys.put("clip_tiny.gemm_ceiling_gflop_per_s", "GFLOP/s");
        keys.put("clip_tiny.step_fraction_of_gemm", "fraction");
        keys.put("clips.samples_per_s_text_64", "samples/s");
        keys.put("clips.samples_per_s_text_32", "samples/s");
        keys.put("clips.samples_per_s_text_16", "samples/s");
        keys.put("synth.pairs_per_s_token_space", "pairs/s");
        keys.put("synth.pairs_per_s_pixel_space", "pairs/s");
        keys.put("wds.read_decode_samples_per_s", "samples/s");
        keys.put("train.data_wait_fraction", "fraction");
        keys.put("runtime.hot_swap_ms", "ms");
        keys.put("runtime.start_to_console_s", "s");
        keys.put("runtime.restart_to_console_s", "s");
        keys.put("runtime.demo_peak_rss_mb", "MB");
        return java.util.Collections.unmodifiableMap(keys);
    }

    /**
     * Records a measured figure.
     *
     * @param key one of {@link #KEYS}
     * @param value the figure
     * @param how how it was measured (repetitions, threads, what the figure covers)
     */
    public synchronized void value(String key, double value, String how) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            na(key, "the measurement gave " + value + "; " + how);
            return;
        }
        String number = Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : Math.abs(value) >= 1 ? String.format(Locale.ROOT, "%.2f", value)
                : String.format(Locale.ROOT, "%.3f", value);
        put(key, number + " " + KEYS.get(key) + " (" + how + ")");
    }

    /**
     * Records a figure that could not be measured.
     *
     * @param key one of {@link #KEYS}
     * @param reason why, and what would make it measurable
     */
    public synchronized void na(String key, String reason) {
        put(key, "n/a (" + reason.replace('\n', ' ') + ")");
    }

    /** Records every figure of {@code keys} not yet recorded as n/a with {@code reason}. */
    public synchronized void naIfMissing(List<String> keys, String reason) {
        for (String key : keys) {
            if (!lines.containsKey(key)) {
                na(key, reason);
            }
        }
    }

    /** @return whether {@code key} has been recorded */
    public synchronized boolean has(String key) {
        return lines.containsKey(key);
    }

    private void put(String key, String text) {
        if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException("unknown bench figure: " + key);
        }
        lines.putIfAbsent(key, text);
    }

    /** Prints every figure, in order; those never recorded as n/a. */
    public synchronized void print() {
        for (String key : KEYS.keySet()) {
            out.println("bench " + key + ": " + lines.getOrDefault(key, "n/a (not measured: its section did not run)"));
        }
        out.flush();
    }
}
