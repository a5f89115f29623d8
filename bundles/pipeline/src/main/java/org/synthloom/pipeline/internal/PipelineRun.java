package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;
import org.synthloom.api.run.RunState;
import org.synthloom.djl.DeviceService;
import org.synthloom.store.RunRecord;
import org.synthloom.store.RunStore;

import com.google.gson.JsonObject;

/**
 * One run of a pipeline on its own thread: human data, synthetic captions and images, training,
 * evaluation. Each stage skips what an earlier (interrupted or identical) run already completed,
 * so a run started again after a kill resumes where the work stopped.
 */
final class PipelineRun implements Run {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);

    private final RunRecord record;
    private final boolean resumed;
    private final PipelineSpec spec;
    private final RunStore store;
    private final DeviceService devices;
    private final Components components;
    private final EventSink events;
    private final RunControl control;
    private final Thread thread;
    private RunState state = RunState.PENDING;

    PipelineRun(RunRecord record, boolean resumed, PipelineSpec spec, RunStore store, DeviceService devices,
            Components components, Collection<RunListener> listeners) {
        this.record = record;
        this.resumed = resumed;
        this.spec = spec;
        this.store = store;
        this.devices = devices;
        this.components = components;
        this.events = new EventSink(record.id(), store.nextSequence(record.id()), listeners);
        this.control = new RunControl(reason -> {
            events.emit(RunEvent.Type.PAUSED, b -> b.message(reason));
            setState(RunState.PAUSED);
        }, () -> {
            setState(RunState.RUNNING);
            events.emit(RunEvent.Type.RESUMED, b -> b);
        });
        this.thread = new Thread(this::execute, "synthloom-run-" + record.id());
        this.thread.setDaemon(true);
    }

    void start() {
        setState(RunState.RUNNING);
        thread.start();
    }

    void join(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
    }

    private void execute() {
        long started = System.nanoTime();
        String resumedFrom = resumed ? " (resuming " + record.id() + ")" : "";
        events.emit(RunEvent.Type.STARTED, b -> b.message("pipeline " + spec.name + resumedFrom
                + (spec.description.isEmpty() ? "" : ": " + spec.description)));
        RunContext ctx = null;
        try {
            ctx = new RunContext(spec, record.id(), store, devices, events, control, components, this::setState);
            Files.writeString(ctx.runDirectory.resolve("pipeline.json"), spec.json);
            Bound<Dataset> dataset = ctx.component(components.dataset, spec.datasetTarget, 0);
            List<String> classNames = RunContext.unchecked("the dataset's class names", () -> dataset.service().classNames());
            ctx.classNames(classNames);
            StageDir human = HumanStage.run(ctx);
            // The tokenizers are pinned for the run: a vocabulary or codebook swapped mid-run would mix
            // incompatible ids. Those that learn are fitted on the human data before anything uses them.
            ctx.fits.tokenizer(ctx.component(components.tokenizer, spec.tokenizerTarget, 0));
            ctx.fits.data(human, human);
            Bound<ImageTokenizer> imageTokenizer = ctx.pinImageTokenizer();
            StageDir prepared = human;
            if (imageTokenizer != null) {
                prepared = TokenStage.run(ctx, human, imageTokenizer);
                ctx.fits.data(human, prepared);
            }
            // Training reads the human samples with their rewritten captions; evaluation and later fits the originals.
            StageDir trainHuman = spec.recaptionerTarget.isEmpty() ? prepared
                    : RecaptionStage.run(ctx, prepared, ctx.component(components.recaptioner, spec.recaptionerTarget, 0));
            StageDir synthetic = null;
            if (spec.synthetic()) {
                StageDir captions = CaptionStage.run(ctx, CaptionStage.concepts(spec, classNames));
                synthetic = ImageStage.run(ctx, captions);
            }
            StageDir train = TrainStage.run(ctx, trainHuman, synthetic, classNames);
            EvaluateStage.Evaluation evaluation = EvaluateStage.run(ctx, train, prepared, synthetic, classNames);
            Map<String, Double> results = evaluation.metrics();
            if (!results.isEmpty()) {
                events.emit(RunEvent.Type.METRIC, b -> {
                    b.step(spec.trainSteps, spec.trainSteps).message(EvaluateStage.NAME);
                    results.forEach(b::metric);
                    return b;
                });
            }
            JsonObject summary = new JsonObject();
            summary.addProperty("pipeline", spec.name);
            summary.addProperty("run", record.id());
            summary.add("results", StageDir.GSON.toJsonTree(results));
            summary.add("details", evaluation.details());
            summary.addProperty("human.shards", human.path().toString());
            summary.addProperty("synthetic.shards", synthetic == null ? "" : synthetic.path().toString());
            summary.addProperty("checkpoints", train.path().resolve("checkpoints").toString());
            summary.addProperty("skipped.inputs", ctx.problems.count());
            Files.writeString(ctx.runDirectory.resolve("results.json"), StageDir.GSON.toJson(summary));
            String message = String.format(Locale.ROOT, "%s in %.0f s; %s; results in %s", spec.name,
                    (System.nanoTime() - started) / 1e9, results.isEmpty() ? "no evaluator ran"
                            : results.entrySet().stream().map(e -> e.getKey() + " " + format(e.getValue()))
                                    .collect(Collectors.joining(", ")),
                    ctx.runDirectory.resolve("results.json"));
            if (ctx.problems.count() > 0) {
                LOG.warn("run {} skipped {} unusable inputs, e.g. {}", record.id(), ctx.problems.count(),
                        ctx.problems.problems().get(0));
            }
            events.emit(RunEvent.Type.FINISHED, b -> b.step(spec.trainSteps, spec.trainSteps).message(message));
            setState(RunState.FINISHED);
        } catch (RunControl.Cancelled e) {
            events.emit(RunEvent.Type.CANCELLED, b -> b.message("cancelled; completed work is kept and a new start resumes it"));
            setState(RunState.CANCELLED);
        } catch (StageFailure e) {
            LOG.error("run {} failed: {}", record.id(), e.getMessage(), e.getCause());
            events.emit(RunEvent.Type.FAILED, b -> b.message(e.getMessage()).component(e.component()));
            setState(RunState.FAILED);
        } catch (Exception | Error e) {
            LOG.error("run {} failed", record.id(), e);
            events.emit(RunEvent.Type.FAILED, b -> b.message(String.valueOf(e)));
            setState(RunState.FAILED);
        } finally {
            if (ctx != null) {
                ctx.fits.close();
            }
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.3f", value);
    }

    private synchronized void setState(RunState next) {
        state = next;
        notifyAll();
    }

    @Override
    public String id() {
        return record.id();
    }

    @Override
    public String pipeline() {
        return spec.name;
    }

    @Override
    public synchronized RunState state() {
        return state;
    }

    @Override
    public List<RunEvent> events() {
        return events.events();
    }

    @Override
    public void pause() {
        control.requestPause("paused on request");
    }

    @Override
    public void resume() {
        control.requestResume();
    }

    @Override
    public void cancel() {
        control.requestCancel();
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

    /** Creates or resumes the run of a pipeline. */
    static PipelineRun create(PipelineSpec spec, RunStore store, DeviceService devices, Components components,
            Collection<RunListener> listeners) throws IOException {
        RunRecord unfinished = store.unfinishedRun(spec.name, spec.hash).orElse(null);
        RunRecord record = unfinished != null ? unfinished : store.createRun(spec.name, spec.hash, spec.json);
        // The engine, not DS, applies this filter: its empty default means "no image tokenizer".
        components.imageTokenizer.target(spec.imageTokenizerTarget);
        components.recaptioner.target(spec.recaptionerTarget);
        return new PipelineRun(record, unfinished != null, spec, store, devices, components, listeners);
    }
}
