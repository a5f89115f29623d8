package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;
import org.synthloom.djl.DeviceService;
import org.synthloom.store.RunStore;
import org.synthloom.store.wds.ProblemLog;

import ai.djl.Device;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** What the stages of one run share: configuration, store, device, events, control, components. */
final class RunContext {

    private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);
    /** A component may be briefly absent while its bundle is updated; only a longer gap pauses the run. */
    private static final Duration QUIET_WAIT = Duration.ofSeconds(2);

    final PipelineSpec spec;
    final String runId;
    final RunStore store;
    final DeviceService devices;
    final Device device;
    final EventSink events;
    final RunControl control;
    final Components components;
    final ProblemLog problems = new ProblemLog();
    final Path runDirectory;
    /** The fitted instances of the components that learn; closed when the run ends. */
    final Fits fits = new Fits(this);
    private volatile List<String> classNames = List.of();
    private volatile Bound<ImageTokenizer> pinnedImageTokenizer;
    private final Consumer<RunState> state;
    private final Map<Slot<?>, String> lastIdentity = new HashMap<>();
    private final Map<Slot<?>, String> lastSet = new HashMap<>();
    private final Map<Slot<?>, String> lastSetNames = new HashMap<>();
    private final JsonObject stages;
    private StageDir currentStage;

    RunContext(PipelineSpec spec, String runId, RunStore store, DeviceService devices, EventSink events, RunControl control,
            Components components, Consumer<RunState> state) throws IOException {
        this.spec = spec;
        this.runId = runId;
        this.store = store;
        this.devices = devices;
        this.device = devices.device(spec.device);
        this.events = events;
        this.control = control;
        this.components = components;
        this.state = state;
        this.runDirectory = store.runDirectory(runId);
        Path stagesFile = runDirectory.resolve("stages.json");
        this.stages = Files.exists(stagesFile) ? JsonParser.parseString(Files.readString(stagesFile)).getAsJsonObject()
                : new JsonObject();
        for (Slot<?> slot : components.all()) {
            slot.onChange(control::poke);
        }
    }

    /**
     * Opens a stage's directory: the one this run already chose (a resumed run continues there),
     * or the one addressed by the parameters.
     */
    StageDir stage(String name, JsonObject parameters) throws IOException {
        Path root = store.artifacts(name);
        StageDir dir;
        Path chosen = stages.has(name) ? root.resolve(stages.get(name).getAsString()).resolve("manifest.json") : null;
        if (chosen != null && Files.exists(chosen)) {
            JsonObject manifest = JsonParser.parseString(Files.readString(chosen)).getAsJsonObject();
            dir = StageDir.open(root, name, manifest.getAsJsonObject("parameters"));
        } else {
            // New stage, or its directory was deleted since: it is redone.
            dir = StageDir.open(root, name, parameters);
            dir.save();
            recordArtifact(name, dir);
        }
        currentStage = dir;
        return dir;
    }

    /**
     * @return the image tokenizer pinned for this run (a codebook swapped mid-run would mix
     *     incompatible tokens), or null if the pipeline has none
     */
    Bound<ImageTokenizer> imageTokenizer() {
        return pinnedImageTokenizer;
    }

    /** Pins the image tokenizer the pipeline names, waiting for it as for any component. */
    Bound<ImageTokenizer> pinImageTokenizer() {
        if (spec.imageTokenizerTarget.isEmpty()) {
            return null;
        }
        pinnedImageTokenizer = component(components.imageTokenizer, spec.imageTokenizerTarget, 0);
        fits.imageTokenizer(pinnedImageTokenizer);
        return pinnedImageTokenizer;
    }

    /** Sets the class names of the human data, as the dataset gave them. */
    void classNames(List<String> names) {
        this.classNames = List.copyOf(names);
    }

    /** @return the class names of the human data, in label order */
    List<String> classNames() {
        return classNames;
    }

    /**
     * Records a directory the run used in {@code stages.json}, which the console reads while the run
     * writes it: a stage, or an artifact besides the stages (what a component learnt, in
     * {@code artifacts/fits/<address>} under the name {@code fit:<kind>/<name>}), so that its lineage
     * and the console find it.
     */
    void recordArtifact(String name, StageDir dir) throws IOException {
        synchronized (stages) {
            stages.addProperty(name, dir.address());
            StageDir.writeJson(runDirectory.resolve("stages.json"), stages);
        }
    }

    /**
     * The component serving a role now. If none is bound, waits: quietly for a moment (an update
     * in progress), then as a paused run with the reason, until one appears. If it differs from
     * the one the role had at the previous call, the swap is an event of the run.
     */
    <T> Bound<T> component(Slot<T> slot, String filter, long step) {
        return component(slot, filter, step, true);
    }

    /** As {@link #component(Slot, String, long)}; {@code reportSwap} false leaves the swap event to the caller. */
    private <T> Bound<T> component(Slot<T> slot, String filter, long step, boolean reportSwap) {
        Bound<T> bound = slot.current();
        if (bound == null) {
            long quietUntil = System.nanoTime() + QUIET_WAIT.toNanos();
            control.awaitCondition(() -> slot.current() != null || System.nanoTime() > quietUntil);
            bound = slot.current();
        }
        if (bound == null) {
            List<String> available = components.available.apply(slot.kind());
            String reason = "waiting for the " + slot.role() + " (" + filter + "): none is registered ("
                    + (available.isEmpty() ? "no " + slot.kind() + " is installed" : "installed: " + String.join(", ", available))
                    + ")";
            LOG.warn("run {} paused: {}", runId, reason);
            events.emit(RunEvent.Type.PAUSED, b -> b.step(step, 0).message(reason));
            state.accept(RunState.PAUSED);
            control.awaitCondition(() -> slot.current() != null);
            bound = slot.current();
            state.accept(RunState.RUNNING);
            String identity = bound.identity();
            events.emit(RunEvent.Type.RESUMED, b -> b.step(step, 0).message(identity + " is available"));
        }
        recordLineage(bound);
        String previous = lastIdentity.put(slot, bound.identity() + "#" + bound.serviceId());
        if (reportSwap && previous != null && !previous.equals(bound.identity() + "#" + bound.serviceId())) {
            String from = previous.substring(0, previous.lastIndexOf('#'));
            String to = bound.identity();
            String change = from.equals(to) ? to + " re-registered (service " + previous.substring(previous.lastIndexOf('#') + 1)
                    + " -> " + bound.serviceId() + ")" : from + " -> " + to;
            LOG.info("run {}: {} swapped at step {}: {}", runId, slot.role(), step, change);
            events.emit(RunEvent.Type.COMPONENT_SWAPPED, b -> b.step(step, 0).component(to)
                    .message(slot.role() + ": " + change));
        }
        return bound;
    }

    /** Adds a component and its configuration to the current stage's lineage (saved with its next unit). */
    private void recordLineage(Bound<?> bound) {
        StageDir stage = currentStage;
        if (stage == null) {
            return;
        }
        JsonObject manifest = stage.manifest();
        synchronized (stage) {
            if (!manifest.has("components")) {
                manifest.add("components", new JsonObject());
            }
            JsonObject components = manifest.getAsJsonObject("components");
            if (!components.has(bound.identity())) {
                components.add(bound.identity(), StageDir.GSON.toJsonTree(bound.configuration()));
            }
        }
    }

    /**
     * Every component serving a role with several members (objectives, evaluators), waiting as
     * {@link #component} does while there is none; a change of the set is a swap event.
     */
    <T> List<Bound<T>> components(Slot<T> slot, String filter, long step) {
        // Waits for at least one; the change is reported once, for the set (not again for its best member).
        // The set is read after the wait, and a hot swap may unbind its only member in between (the old
        // version goes before the new one comes): then wait again rather than hand out an empty set.
        List<Bound<T>> all;
        do {
            component(slot, filter, step, false);
            all = slot.all();
        } while (all.isEmpty());
        String identities = all.stream().map(b -> b.identity() + "#" + b.serviceId()).sorted().toList().toString();
        String now = String.join(", ", all.stream().map(Bound::identity).toList());
        String previous = lastSet.put(slot, identities);
        String previousNames = lastSetNames.put(slot, now);
        if (previous != null && !previous.equals(identities)) {
            String change = previousNames.equals(now) ? now + " re-registered" : previousNames + " -> " + now;
            LOG.info("run {}: {} swapped at step {}: {}", runId, slot.role(), step, change);
            events.emit(RunEvent.Type.COMPONENT_SWAPPED, b -> b.step(step, 0).component(now)
                    .message(slot.role() + ": " + change));
        }
        return all;
    }

    /**
     * Calls a component. If it throws, the run fails with the component named, or, with
     * {@code on.component.error = pause}, pauses with the cause and retries the same work when
     * resumed (e.g. after a fixed plugin is deployed).
     */
    <T, R> R call(Slot<T> slot, String filter, long step, ComponentCall<T, R> work) {
        while (true) {
            Bound<T> bound = component(slot, filter, step);
            Optional<R> result = attempt(bound, step, work);
            if (result.isPresent()) {
                return result.get();
            }
        }
    }

    /**
     * Calls one given component with the error policy: the result, or empty if it failed and the
     * run paused and was resumed (the caller retries).
     */
    <T, R> Optional<R> attempt(Bound<T> bound, long step, ComponentCall<T, R> work) {
        try {
            return Optional.of(work.call(bound));
        } catch (RunControl.Cancelled | StageFailure e) {
            throw e;
        } catch (Exception | LinkageError e) {
            String message = bound.identity() + " failed: " + e;
            if (!spec.pauseOnComponentError) {
                throw new StageFailure(message, bound.identity(), e);
            }
            LOG.error("run {}: {}", runId, message, e);
            control.requestPause(message + " (resume the run to retry)");
            control.boundary(step);
            return Optional.empty();
        }
    }

    /** Work done with a component. */
    interface ComponentCall<T, R> {
        R call(Bound<T> component) throws Exception;
    }

    /** Reports a stage's progress at most twice a second, with an ETA from the stage's own rate. */
    final class Progress {
        private final String stage;
        private final long total;
        private final long startStep;
        private final long startNanos = System.nanoTime();
        private long lastNanos;

        Progress(String stage, long startStep, long total) {
            this.stage = stage;
            this.startStep = startStep;
            this.total = total;
        }

        void at(long step) {
            long now = System.nanoTime();
            if (now - lastNanos < 500_000_000L && step < total) {
                return;
            }
            lastNanos = now;
            long done = step - startStep;
            Duration eta = done <= 0 || total <= 0 ? null
                    : Duration.ofNanos((long) ((now - startNanos) / (double) done * Math.max(0, total - step)));
            events.emit(RunEvent.Type.PROGRESS, b -> {
                b.step(step, total).message(stage);
                return eta == null ? b : b.eta(eta);
            });
        }
    }

    Progress progress(String stage, long startStep, long total) {
        return new Progress(stage, startStep, total);
    }

    /** Runs a callable, turning checked failures into a stage failure naming the stage. */
    static <R> R unchecked(String what, Callable<R> callable) {
        try {
            return callable.call();
        } catch (RunControl.Cancelled | StageFailure e) {
            throw e;
        } catch (Exception e) {
            throw new StageFailure(what + ": " + e.getMessage(), null, e);
        }
    }
}
