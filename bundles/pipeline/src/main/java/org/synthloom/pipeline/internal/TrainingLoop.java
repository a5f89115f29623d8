package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.Scalars;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.djl.GradientScope;
import org.synthloom.imageio.ResizeMode;
import org.synthloom.store.wds.MixedSource;
import org.synthloom.store.wds.RawSampleSource;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardStream;
import org.synthloom.store.wds.ShuffleBuffer;
import org.synthloom.batch.BatchBuilder;
import org.synthloom.batch.CaptionViews;
import org.synthloom.batch.HostBatch;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;

/**
 * The engine's one training loop, shared by the pipeline's train stage and by plugins that learn
 * through {@link org.synthloom.api.train.FitContext#train}: batches prepared off the training
 * thread from human (and synthetic) shards, weighted objectives, AdamW with warm-up and cosine
 * decay, checkpoints with parameters, moments, step and data position, metric and progress events.
 * A resumed loop continues from the newest checkpoint with the same data order.
 */
final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private TrainingLoop() {}

    /**
     * What one training loop does.
     *
     * @param label names its progress bar and prefixes its metrics when not the pipeline's own
     * @param metricPrefix prepended to metric names ({@code ""} for the pipeline's model)
     */
    record Settings(String label, String metricPrefix, int steps, int batchSize, String optimizer, double learningRate,
            double weightDecay, boolean cosine, int warmupSteps, int checkpointEvery, int logEvery, int shuffleBuffer,
            int loaderThreads, long seed, double syntheticRatio, int imageSize, ResizeMode resizeMode, int contextLength,
            boolean groupByCaption, int groupSize, CaptionViews views) {

        /** The pipeline's own training. */
        static Settings of(PipelineSpec spec) {
            return new Settings(TrainStage.NAME, "", spec.trainSteps, spec.batchSize, spec.optimizer, spec.learningRate,
                    spec.weightDecay, spec.schedule.equals("cosine"), spec.warmupSteps, spec.checkpointEvery, spec.logEvery,
                    spec.shuffleBuffer, spec.loaderThreads, spec.seed, spec.syntheticRatio, spec.imageSize, spec.resizeMode,
                    spec.contextLength, spec.groupByCaption, spec.imagesPerCaption, spec.captionViews);
        }

        /** A plugin's training on the human data, with the pipeline's data settings. */
        static Settings fit(PipelineSpec spec, String label, TrainingOptions options, long seed) {
            int every = Math.max(1, Math.min(spec.checkpointEvery <= 0 ? options.steps() : spec.checkpointEvery,
                    options.steps()));
            return new Settings(label, label + "/", options.steps(), options.batchSize(), "adamw", options.learningRate(),
                    options.weightDecay(), true, options.warmupSteps(), every, spec.logEvery, spec.shuffleBuffer,
                    spec.loaderThreads, seed, 0, spec.imageSize, spec.resizeMode, spec.contextLength, false, 1,
                    CaptionViews.full());
        }
    }

    /** The objectives of each step, read at the step so that a swapped objective trains the next batch. */
    interface Objectives {
        List<Bound<Objective>> at(int step);

        double weight(Bound<Objective> objective);
    }

    /**
     * Builds the recipe's model in {@code holder}, restores the newest checkpoint if any and
     * trains it to the last step, writing checkpoints as it goes.
     *
     * @param holder owns the parameters (and their lifetime)
     * @return the trained model
     */
    static Block train(RunContext ctx, Settings settings, Model holder, ModelRecipe recipe, TrainStage.ModelShape shape,
            Objectives objectives, Tokenizer tokenizer, List<String> classNames, List<Path> humanShards,
            List<Path> syntheticShards, Checkpoints checkpoints) throws IOException {
        Checkpoints.Position start = checkpoints.latest();
        if (start == null) {
            start = new Checkpoints.Position(0, 0);
        } else {
            LOG.info("run {}: {} resumes after step {}", ctx.runId, settings.label(), start.step());
        }
        Block model = recipe.newModel(shape.spec());
        Device device = ctx.device;
        try (NDManager moments = ctx.devices.newManager(device)) {
            holder.setBlock(model);
            ctx.devices.engine().setRandomSeed((int) settings.seed());
            model.initialize(holder.getNDManager(), DataType.FLOAT32, shape.inputShapes().toArray(new Shape[0]));
            Map<String, String> names = new LinkedHashMap<>();
            model.getParameters().forEach(p -> names.put(p.getValue().getId(), p.getKey()));
            AdamW optimizer = new AdamW(settings.optimizer(), (float) settings.weightDecay(), moments, names);
            // The loss given to DJL is unused: the objectives compute the loss.
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer)
                    .optDevices(new Device[] {device});
            if (start.step() > 0) {
                // Before the trainer caches the parameter arrays, which loading replaces.
                checkpoints.restore(start.step(), model, holder.getNDManager(), optimizer);
            }
            if (start.step() >= settings.steps()) {
                return model;
            }
            try (Trainer trainer = holder.newTrainer(config)) {
                trainer.initialize(shape.inputShapes().toArray(new Shape[0]));
                loop(ctx, settings, trainer, model, optimizer, checkpoints, start, shape, recipe, objectives, tokenizer,
                        classNames, humanShards, syntheticShards);
            }
        }
        return model;
    }

    private static void loop(RunContext ctx, Settings settings, Trainer trainer, Block model, AdamW optimizer,
            Checkpoints checkpoints, Checkpoints.Position start, TrainStage.ModelShape shape, ModelRecipe recipe,
            Objectives objectives, Tokenizer tokenizer, List<String> classNames, List<Path> humanShards,
            List<Path> syntheticShards) throws IOException {
        int steps = settings.steps();
        LearningRate schedule = new LearningRate(settings.learningRate(), settings.warmupSteps(), steps, settings.cosine());
        BatchBuilder builder = new BatchBuilder(tokenizer, classNames, settings.imageSize(), settings.resizeMode(),
                settings.contextLength(), shape.pixels(), shape.tokens(), Hashes.seed(settings.seed(), "captions-choice"))
                .withViews(settings.views());
        SampleCodec codec = SampleCodec.create("data").withPixelDecoding(shape.pixels());
        BatchSource stream = batches(settings, humanShards, syntheticShards, ctx);
        long skipped = stream.skip(start.samplesConsumed());
        if (skipped < start.samplesConsumed()) {
            throw new StageFailure("the training data ended while returning to the checkpoint's position");
        }
        long consumed = start.samplesConsumed();
        RunContext.Progress progress = ctx.progress(settings.label(), start.step(), steps);
        Device device = ctx.device;
        String prefix = settings.metricPrefix();
        try (BatchLoader loader = new BatchLoader(stream, codec, builder, settings.loaderThreads(), 4, ctx.problems,
                start.step(), "synthloom-" + ctx.runId)) {
            double windowLoss = 0;
            int windowSteps = 0;
            long windowSamples = 0;
            long windowStart = System.nanoTime();
            long windowWait = 0;
            for (int step = start.step(); step < steps; step++) {
                try {
                    ctx.control.boundary(step);
                } catch (RunControl.Cancelled e) {
                    // An orderly stop (Ctrl-C, a cancel) keeps the steps done since the last checkpoint.
                    if (step > start.step()) {
                        checkpoints.write(model, optimizer, new Checkpoints.Position(step, consumed));
                    }
                    throw e;
                }
                long waitBefore = loader.waitNanos();
                BatchLoader.Loaded loaded;
                try {
                    loaded = loader.next();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StageFailure(settings.label() + " was interrupted while waiting for data");
                }
                windowWait += loader.waitNanos() - waitBefore;
                if (loaded == null) {
                    throw new StageFailure("the training data ran out at step " + step + " of " + settings.label());
                }
                HostBatch batch = loaded.batch();
                consumed += loaded.samples();
                optimizer.prepare(step, schedule.at(step));
                boolean report = (step + 1) % settings.logEvery() == 0 || step + 1 == steps;
                Map<String, Double> metrics = new LinkedHashMap<>();
                if (batch.size() > 0) {
                    OptionalDouble loss = OptionalDouble.empty();
                    while (loss.isEmpty()) {
                        // A failed objective with the pause policy comes back empty after the resume, and the
                        // step is redone in full.
                        metrics.clear();
                        loss = step(ctx, settings, trainer, batch, recipe, objectives, objectives.at(step), device, step,
                                report ? metrics : null);
                    }
                    windowLoss += loss.getAsDouble();
                    windowSteps++;
                    windowSamples += loaded.samples();
                    trainer.step();
                }
                if (report) {
                    double seconds = (System.nanoTime() - windowStart) / 1e9;
                    Map<String, Double> reported = new LinkedHashMap<>();
                    reported.put(prefix + "loss", windowSteps == 0 ? Double.NaN : windowLoss / windowSteps);
                    metrics.forEach((name, value) -> reported.put(prefix + name, value));
                    reported.put(prefix + "learning_rate", (double) schedule.at(step));
                    reported.put(prefix + "samples_per_second", windowSamples / Math.max(seconds, 1e-9));
                    reported.put(prefix + "data_wait_fraction", windowWait / 1e9 / Math.max(seconds, 1e-9));
                    int at = step + 1;
                    ctx.events.emit(RunEvent.Type.METRIC, b -> {
                        b.step(at, steps).message(settings.label());
                        reported.forEach(b::metric);
                        return b;
                    });
                    windowLoss = 0;
                    windowSteps = 0;
                    windowSamples = 0;
                    windowWait = 0;
                    windowStart = System.nanoTime();
                }
                progress.at(step + 1);
                if ((settings.checkpointEvery() > 0 && (step + 1) % settings.checkpointEvery() == 0) || step + 1 == steps) {
                    Path written = checkpoints.write(model, optimizer, new Checkpoints.Position(step + 1, consumed));
                    int at = step + 1;
                    ctx.events.emit(RunEvent.Type.CHECKPOINT, b -> b.step(at, steps).message(written.toString()));
                }
            }
        }
    }

    /**
     * The batches of the mixed, shuffled, endless stream of training samples, a pure function of the
     * seed: fixed-size batches of samples, or whole caption groups ({@link GroupedBatches}).
     */
    private static BatchSource batches(Settings settings, List<Path> humanShards, List<Path> syntheticShards,
            RunContext ctx) {
        long seed = settings.seed();
        RawSampleSource human = new ShardStream(humanShards, Hashes.seed(seed, "human-shards"), true, true, ctx.problems);
        RawSampleSource generated = null;
        if (!syntheticShards.isEmpty() && settings.syntheticRatio() > 0) {
            generated = new ShardStream(syntheticShards, Hashes.seed(seed, "synthetic-shards"), true, true, ctx.problems);
        }
        if (settings.groupByCaption()) {
            return GroupedBatches.of(human, generated, settings.syntheticRatio(), settings.groupSize(),
                    settings.shuffleBuffer(), Hashes.seed(seed, "mix"), Hashes.seed(seed, "shuffle"), settings.batchSize());
        }
        RawSampleSource mixed = generated == null ? human : new MixedSource(List.of(human, generated),
                new double[] {1 - settings.syntheticRatio(), settings.syntheticRatio()}, Hashes.seed(seed, "mix"));
        return BatchSource.fixed(new ShuffleBuffer(mixed, settings.shuffleBuffer(), Hashes.seed(seed, "shuffle")),
                settings.batchSize());
    }

    /** One optimisation step's forward and backward pass; returns the loss, or empty if it must be redone. */
    private static OptionalDouble step(RunContext ctx, Settings settings, Trainer trainer, HostBatch batch,
            ModelRecipe recipe, Objectives weights, List<Bound<Objective>> objectives, Device device, int step,
            Map<String, Double> metrics) {
        try (NDManager scope = trainer.getManager().newSubManager(device);
                GradientScope gradients = ctx.devices.newGradientScope()) {
            NDList fields = batch.toNDList(scope, device);
            NDList inputs;
            try {
                inputs = HostBatch.inputs(fields, recipe.inputs());
            } catch (IllegalArgumentException e) {
                throw new StageFailure(e.getMessage(), null, e);
            }
            NDList outputs = trainer.forward(inputs);
            NDArray total = null;
            for (Bound<Objective> objective : objectives) {
                LossOutput out = ctx.attempt(objective, step, o -> o.service().compute(outputs, fields)).orElse(null);
                if (out == null) {
                    return OptionalDouble.empty(); // failed, paused, resumed: redo the step
                }
                float weight = (float) weights.weight(objective);
                // not mul(weight): autograd would keep a Java buffer the collector may free (see Scalars)
                NDArray weighted = weight == 1f ? out.loss() : out.loss().mul(Scalars.like(out.loss(), weight));
                total = total == null ? weighted : total.add(weighted);
                if (metrics != null) {
                    String prefix = objectives.size() > 1 ? objective.name() + "/" : "";
                    metrics.put(prefix + "objective_loss", (double) out.loss().getFloat());
                    out.metrics().forEach((name, value) -> metrics.put(prefix + name,
                            (double) value.toType(DataType.FLOAT32, false).getFloat()));
                }
            }
            if (total == null) {
                throw new StageFailure("no objective produced a loss at step " + step + " of " + settings.label());
            }
            gradients.backward(total);
            float loss = total.getFloat();
            if (Float.isNaN(loss) || Float.isInfinite(loss)) {
                throw new StageFailure(String.format(Locale.ROOT, "the loss of %s became %s at step %d; lower the learning"
                        + " rate (%s) or check the data", settings.label(), loss, step, settings.learningRate()));
            }
            return OptionalDouble.of(loss);
        }
    }
}
