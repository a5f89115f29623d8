package org.synthloom.runtime.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;

/**
 * Draws one run's events on the terminal: a progress bar redrawn in place on a terminal, or a line
 * every tenth of the way when the output is a file or a pipe (CI logs stay short).
 */
final class ProgressPrinter implements RunListener {

    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean interactive;
    private final Map<String, List<RunEvent>> early = new LinkedHashMap<>();
    private final Map<String, Double> lossByStage = new LinkedHashMap<>();
    private String followed;
    private String stage = "";
    private int lastDecile = -1;
    private boolean barOnScreen;

    ProgressPrinter(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Starts printing the events of one run, including those that arrived before its id was known. */
    synchronized void follow(String runId) {
        followed = runId;
        List<RunEvent> buffered = early.remove(runId);
        early.clear();
        if (buffered != null) {
            buffered.forEach(this::print);
        }
    }

    @Override
    public synchronized void onEvent(RunEvent event) {
        if (followed == null) {
            // The run's id is known only once start() returns; keep what it emitted meanwhile.
            List<RunEvent> events = early.computeIfAbsent(event.runId(), id -> new ArrayList<>());
            if (events.size() < 10_000) {
                events.add(event);
            }
        } else if (followed.equals(event.runId())) {
            print(event);
        }
    }

    private void print(RunEvent event) {
        switch (event.type()) {
            case METRIC -> {
                // The bar shows the training loss; the full metrics go to the run store and the console.
                Double loss = event.metrics().get("loss");
                if (loss != null) {
                    lossByStage.put(event.message(), loss);
                }
            }
            case PROGRESS -> progress(event);
            case STARTED -> line("started " + event.runId()
                    + (event.totalSteps() > 0 ? ", " + event.totalSteps() + " steps" : "")
                    + (event.message().isEmpty() ? "" : ": " + event.message()));
            case CHECKPOINT -> line("checkpoint at step " + event.step() + ": " + event.message());
            case COMPONENT_SWAPPED -> line("step " + event.step() + ": now using " + event.component()
                    + (event.message().isEmpty() ? "" : " (" + event.message() + ")"));
            case PAUSED -> line("paused at step " + event.step() + ": " + event.message());
            case RESUMED -> line("resumed at step " + event.step());
            case FAILED -> line("FAILED at step " + event.step() + ": " + event.message()
                    + (event.component().isEmpty() ? "" : " [" + event.component() + "]"));
            case CANCELLED -> line("cancelled at step " + event.step());
            case FINISHED -> line("finished: " + event.message());
        }
    }

    private void progress(RunEvent event) {
        if (!event.message().equals(stage)) {
            if (barOnScreen) {
                out.println();
                barOnScreen = false;
            }
            stage = event.message();
            lastDecile = -1;
        }
        String text = (stage.isEmpty() ? "" : String.format(Locale.ROOT, "%-9s ", stage))
                + bar(event.step(), event.totalSteps()) + metrics()
                + event.eta().map(eta -> "  ETA " + duration(eta)).orElse("");
        if (interactive) {
            out.print("\r" + text + "\u001b[K");
            out.flush();
            barOnScreen = true;
        } else {
            int decile = event.totalSteps() > 0 ? (int) (10 * event.step() / event.totalSteps()) : lastDecile + 1;
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(text);
            }
        }
    }

    private void line(String text) {
        if (barOnScreen) {
            out.println();
            barOnScreen = false;
        }
        out.println(text);
    }

    private String metrics() {
        Double loss = lossByStage.get(stage);
        return loss == null ? "" : "  loss " + number(loss);
    }

    /** {@code [#######.......] 45% 90/200}, or just the step count when the total is unknown. */
    static String bar(long step, long total) {
        if (total <= 0) {
            return "step " + step;
        }
        long clamped = Math.max(0, Math.min(step, total));
        int filled = (int) (BAR_WIDTH * clamped / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%% %d/%d", 100 * clamped / total, step, total);
    }

    static String duration(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        return seconds / 3600 + "h" + String.format(Locale.ROOT, "%02d", seconds % 3600 / 60) + "m";
    }

    static String number(double value) {
        double magnitude = Math.abs(value);
        if (value == 0 || magnitude >= 0.001 && magnitude < 100_000) {
            return String.format(Locale.ROOT, "%.4g", value);
        }
        return String.format(Locale.ROOT, "%.3e", value);
    }
}
