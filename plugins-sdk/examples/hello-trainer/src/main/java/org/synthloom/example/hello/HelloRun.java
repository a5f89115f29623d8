package org.synthloom.example.hello;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;
import org.synthloom.api.run.RunState;
import org.synthloom.djl.DeviceService;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** One training run of the hello pipeline, on its own thread. */
final class HelloRun implements Run {

    private static final Logger LOG = LoggerFactory.getLogger(HelloRun.class);

    private final String id;
    private final HelloConfig config;
    private final DeviceService devices;
    private final List<RunListener> listeners;
    private final List<RunEvent> events = new ArrayList<>();
    private final Thread thread;
    private RunState state = RunState.PENDING;
    private boolean pauseRequested;
    private boolean cancelRequested;

    HelloRun(String id, HelloConfig config, DeviceService devices, List<RunListener> listeners) {
        this.id = id;
        this.config = config;
        this.devices = devices;
        this.listeners = listeners;
        this.thread = new Thread(this::train, "synthloom-" + id);
        this.thread.setDaemon(true);
    }

    void startThread() {
        setState(RunState.RUNNING);
        thread.start();
    }

    void join() throws InterruptedException {
        thread.join();
    }

    private void train() {
        long started = System.nanoTime();
        int steps = config.steps();
        int batch = config.batch_size();
        try {
            Device device = devices.device(config.device());
            emit(RunEvent.Type.STARTED, b -> b.step(0, steps)
                    .message("fitting y = sin(3 x0)/2 + x1^2 with a 2-" + config.hidden_units() + "-"
                            + config.hidden_units() + "-1 MLP on " + device));
            devices.engine().setRandomSeed((int) config.seed());
            Random data = new Random(config.seed());
            float[] x = new float[batch * 2];
            float[] y = new float[batch];
            double firstLoss = Double.NaN;
            double windowLoss = 0;
            int windowSteps = 0;
            try (Model model = Model.newInstance(id, device, devices.engine().getEngineName());
                    NDManager root = devices.newManager(device)) {
                model.setBlock(mlp(config.hidden_units()));
                DefaultTrainingConfig training = new DefaultTrainingConfig(Loss.l2Loss()).optDevices(new Device[] {device})
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learning_rate())).build());
                try (Trainer trainer = model.newTrainer(training)) {
                    trainer.initialize(new Shape(batch, 2));
                    for (int step = 1; step <= steps; step++) {
                        if (!awaitPermissionToContinue(step)) {
                            emit(RunEvent.Type.CANCELLED, b -> b.step(current(), steps));
                            setState(RunState.CANCELLED);
                            return;
                        }
                        fill(data, x, y);
                        double loss;
                        // Every array of a step lives in a sub-manager freed at the end of the step.
                        try (NDManager stepManager = root.newSubManager();
                                GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray inputs = stepManager.create(x, new Shape(batch, 2));
                            NDArray targets = stepManager.create(y, new Shape(batch, 1));
                            NDList prediction = trainer.forward(new NDList(inputs));
                            NDArray lossArray = trainer.getLoss().evaluate(new NDList(targets), prediction);
                            collector.backward(lossArray);
                            loss = lossArray.getFloat();
                        }
                        trainer.step();
                        if (step == 1) {
                            firstLoss = loss;
                        }
                        windowLoss += loss;
                        windowSteps++;
                        if (step % config.report_every() == 0 || step == steps) {
                            report(step, steps, windowLoss / windowSteps, started);
                            windowLoss = 0;
                            windowSteps = 0;
                        }
                    }
                }
            }
            double lastLoss = lastReportedLoss();
            String summary = String.format(Locale.ROOT, "loss %.4f -> %.4f in %d steps, %.1f s", firstLoss, lastLoss,
                    steps, (System.nanoTime() - started) / 1e9);
            LOG.info("{}: {}", id, summary);
            emit(RunEvent.Type.FINISHED, b -> b.step(steps, steps).message(summary));
            setState(RunState.FINISHED);
        } catch (RuntimeException | Error e) {
            LOG.error("{} failed", id, e);
            emit(RunEvent.Type.FAILED, b -> b.step(current(), steps).message(String.valueOf(e))
                    .component("pipeline/" + HelloPipeline.NAME));
            setState(RunState.FAILED);
        }
    }

    private static SequentialBlock mlp(int hidden) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build()).add(Activation.tanhBlock())
                .add(Linear.builder().setUnits(hidden).build()).add(Activation.tanhBlock())
                .add(Linear.builder().setUnits(1).build());
    }

    /** Draws a batch of the target function, reusing the arrays (no allocation per step). */
    private static void fill(Random random, float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) {
            float x0 = random.nextFloat() * 2 - 1;
            float x1 = random.nextFloat() * 2 - 1;
            x[2 * i] = x0;
            x[2 * i + 1] = x1;
            y[i] = (float) (Math.sin(3 * x0) / 2 + x1 * x1);
        }
    }

    private void report(int step, int steps, double meanLoss, long started) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        Duration eta = Duration.ofMillis((long) (1000 * elapsed / step * (steps - step)));
        emit(RunEvent.Type.METRIC, b -> b.step(step, steps).metric("loss", meanLoss));
        emit(RunEvent.Type.PROGRESS, b -> b.step(step, steps).eta(eta));
        LOG.info("{}: step {}/{} loss {}", id, step, steps, String.format(Locale.ROOT, "%.5f", meanLoss));
    }

    private synchronized double lastReportedLoss() {
        for (int i = events.size() - 1; i >= 0; i--) {
            Double loss = events.get(i).metrics().get("loss");
            if (loss != null) {
                return loss;
            }
        }
        return Double.NaN;
    }

    private synchronized long current() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).step();
    }

    /**
     * Called at each batch boundary: blocks while a pause is requested (announcing it once) and
     * returns false if the run was cancelled.
     */
    private boolean awaitPermissionToContinue(int step) {
        synchronized (this) {
            if (cancelRequested) {
                return false;
            }
            if (!pauseRequested) {
                return true;
            }
        }
        // The event first, then the state: whoever sees PAUSED also finds its event recorded.
        emit(RunEvent.Type.PAUSED, b -> b.step(step - 1, config.steps()).message("paused on request"));
        synchronized (this) {
            state = RunState.PAUSED;
            notifyAll();
            while (pauseRequested && !cancelRequested) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (cancelRequested) {
                return false;
            }
            state = RunState.RUNNING;
            notifyAll();
        }
        emit(RunEvent.Type.RESUMED, b -> b.step(step - 1, config.steps()));
        return true;
    }

    private interface EventFiller {
        RunEvent.Builder fill(RunEvent.Builder builder);
    }

    /** Numbers, records and delivers an event, in order, on the run's thread. */
    private void emit(RunEvent.Type type, EventFiller filler) {
        RunEvent event;
        synchronized (this) {
            event = filler.fill(RunEvent.builder(type, id, events.size())).build();
            events.add(event);
        }
        for (RunListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("run listener {} failed on {}", listener, event, e);
            }
        }
    }

    private synchronized void setState(RunState next) {
        state = next;
        notifyAll();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String pipeline() {
        return HelloPipeline.NAME;
    }

    @Override
    public synchronized RunState state() {
        return state;
    }

    @Override
    public synchronized List<RunEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized void pause() {
        pauseRequested = true;
    }

    @Override
    public synchronized void resume() {
        pauseRequested = false;
        notifyAll();
    }

    @Override
    public synchronized void cancel() {
        cancelRequested = true;
        notifyAll();
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
}
