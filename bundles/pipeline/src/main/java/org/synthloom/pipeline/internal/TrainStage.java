package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.Sample;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.djl.GradientScope;
import org.synthloom.store.wds.DecodingSource;
import org.synthloom.store.wds.MixedSource;
import org.synthloom.store.wds.RawSampleSource;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardStream;
import org.synthloom.store.wds.ShuffleBuffer;

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

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Trains the recipe's model on human and synthetic shards mixed at the configured ratio, with the
 * weighted objectives, AdamW and a warm-up/cosine schedule. The objectives are read at every step,
 * so a swapped objective trains the next batch. Checkpoints carry parameters, optimizer moments,
 * step and data position; a resumed stage continues from the newest one with the same data order.
 */
final class TrainStage {

    static final String NAME = "train";
    private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);

    private TrainStage() {}

    /** The model of a recipe with its data shapes, as training and evaluation build it. */
    record ModelShape(DataSpec spec, List<Shape> inputShapes, boolean pixels, boolean tokens, int tokensPerImage) {}

    static StageDir run(RunContext ctx, StageDir human, StageDir synthetic, List<String> classNames) throws Exception {
        PipelineSpec spec = ctx.spec;
        Bound<ModelRecipe> recipe = ctx.component(ctx.components.recipe, spec.recipeTarget, 0);
        Bound<Tokenizer> tokenizer = ctx.component(ctx.components.tokenizer, spec.tokenizerTarget, 0);
        List<Bound<Objective>> objectives = ctx.components(ctx.components.objectives, spec.objectiveTarget, 0);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("human", human.address());
        parameters.addProperty("synthetic", synthetic == null ? "" : synthetic.address());
        parameters.addProperty("synthetic.ratio", synthetic == null ? 0 : spec.syntheticRatio);
        parameters.addProperty("recipe", recipe.identity());
        parameters.addProperty("tokenizer", tokenizer.identity());
        JsonArray objectiveIds = new JsonArray();
        objectives.forEach(o -> objectiveIds.add(o.identity() + "*" + weight(spec, o)));
        parameters.add("objectives", objectiveIds);
        for (String key : List.of("context.length", "image.size", "batch.size", "train.steps", "optimizer", "learning.rate",
                "weight.decay", "schedule", "warmup.steps", "shuffle.buffer", "seed", "device")) {
            parameters.add(key, spec.effective().get(key));
        }
        StageDir dir = ctx.stage(NAME, parameters);
        if (dir.complete()) {
            return dir;
        }
        Checkpoints checkpoints = new Checkpoints(dir);
        Checkpoints.Position start = checkpoints.latest();
        if (start == null) {
            start = new Checkpoints.Position(0, 0);
        } else {
            LOG.info("run {}: training resumes after step {} from {}", ctx.runId, start.step(), dir.path());
        }
        List<Path> humanShards = new HumanStage.Shards(human).paths();
        List<Path> syntheticShards = synthetic == null ? List.of() : new HumanStage.Shards(synthetic).paths();
        ModelShape shape = shape(recipe.service(), tokenizer.service(), spec, classNames,
                syntheticShards.isEmpty() ? humanShards : syntheticShards);
        Block model = recipe.service().newModel(shape.spec());
        Device device = ctx.device;
        try (Model holder = Model.newInstance("train-" + ctx.runId, device, ctx.devices.engine().getEngineName());
                NDManager moments = ctx.devices.newManager(device)) {
            holder.setBlock(model);
            ctx.devices.engine().setRandomSeed((int) spec.seed);
            model.initialize(holder.getNDManager(), DataType.FLOAT32, shape.inputShapes().toArray(new Shape[0]));
            Map<String, String> names = new LinkedHashMap<>();
            model.getParameters().forEach(p -> names.put(p.getValue().getId(), p.getKey()));
            AdamW optimizer = new AdamW(spec.optimizer, (float) spec.weightDecay, moments, names);
            // The loss given to DJL is unused: the objectives compute the loss.
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer)
                    .optDevices(new Device[] {device});
            if (start.step() > 0) {
                // Before the trainer caches the parameter arrays, which loading replaces.
                checkpoints.restore(start.step(), model, holder.getNDManager(), optimizer);
            }
            try (Trainer trainer = holder.newTrainer(config)) {
                trainer.initialize(shape.inputShapes().toArray(new Shape[0]));
                train(ctx, dir, trainer, model, optimizer, checkpoints, start, shape, recipe.service(), tokenizer.service(),
                        classNames, humanShards, syntheticShards);
            }
        }
        dir.markComplete();
        return dir;
    }

    private static double weight(PipelineSpec spec, Bound<Objective> objective) {
        return spec.objectiveWeights.getOrDefault(objective.name(), 1.0);
    }

    /** Works out the shapes the model is built and initialised for, from the spec and a first sample. */
    static ModelShape shape(ModelRecipe recipe, Tokenizer tokenizer, PipelineSpec spec, List<String> classNames,
            List<Path> shards) throws IOException {
        List<String> inputs = recipe.inputs();
        boolean pixels = inputs.contains(Fields.IMAGES);
        boolean tokens = inputs.contains(Fields.IMAGE_TOKENS);
        DataSpec.Builder data = DataSpec.builder().images(spec.imageSize, 3)
                .text(tokenizer.vocabularySize(), spec.contextLength).classes(classNames.size());
        int tokensPerImage = 0;
        if (tokens) {
            try (DecodingSource source = DecodingSource.of(shards, SampleCodec.create("probe").withPixelDecoding(false))) {
                Sample first = source.next().orElseThrow(() -> new StageFailure("no training data to size the model"));
                var grid = first.tokens().orElseThrow(() -> new StageFailure("the model reads VQ tokens, and sample "
                        + first.id() + " has none: generate in token space or use a pixel-space recipe"));
                tokensPerImage = grid.ids().length;
                data.tokens(grid.rows(), grid.codebookSize());
            }
        }
        int b = spec.batchSize;
        List<Shape> shapes = new ArrayList<>();
        for (String input : inputs) {
            shapes.add(switch (input) {
                case Fields.IMAGES -> new Shape(b, 3, spec.imageSize, spec.imageSize);
                case Fields.IMAGE_TOKENS -> new Shape(b, tokensPerImage);
                case Fields.TEXT_TOKENS, Fields.TEXT_MASK -> new Shape(b, spec.contextLength);
                case Fields.LABELS, Fields.CAPTION_GROUPS -> new Shape(b);
                default -> throw new StageFailure("the model reads '" + input + "', a field the engine does not provide");
            });
        }
        return new ModelShape(data.build(), shapes, pixels, tokens, tokensPerImage);
    }

    private static void train(RunContext ctx, StageDir dir, Trainer trainer, Block model, AdamW optimizer,
            Checkpoints checkpoints, Checkpoints.Position start, ModelShape shape, ModelRecipe recipe, Tokenizer tokenizer,
            List<String> classNames, List<Path> humanShards, List<Path> syntheticShards) throws Exception {
        PipelineSpec spec = ctx.spec;
        LearningRate schedule = new LearningRate(spec.learningRate, spec.warmupSteps, spec.trainSteps,
                spec.schedule.equals("cosine"));
        BatchBuilder builder = new BatchBuilder(tokenizer, classNames, spec.imageSize, spec.resizeMode,
                spec.contextLength, shape.pixels(), shape.tokens(), Hashes.seed(spec.seed, "captions-choice"));
        SampleCodec codec = SampleCodec.create("data").withPixelDecoding(shape.pixels());
        RawSampleSource stream = stream(spec, humanShards, syntheticShards, ctx);
        long skipped = stream.skip(start.samplesConsumed());
        if (skipped < start.samplesConsumed()) {
            throw new StageFailure("the training data ended while returning to the checkpoint's position");
        }
        long consumed = start.samplesConsumed();
        RunContext.Progress progress = ctx.progress(NAME, start.step(), spec.trainSteps);
        Device device = ctx.device;
        try (BatchLoader loader = new BatchLoader(stream, codec, builder, spec.batchSize, spec.loaderThreads, 4,
                ctx.problems, start.step(), "synthloom-" + ctx.runId)) {
            double windowLoss = 0;
            int windowSteps = 0;
            long windowStart = System.nanoTime();
            long windowWait = 0;
            for (int step = start.step(); step < spec.trainSteps; step++) {
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
                HostBatch batch = loader.next();
                windowWait += loader.waitNanos() - waitBefore;
                if (batch == null) {
                    throw new StageFailure("the training data ran out at step " + step);
                }
                consumed += spec.batchSize;
                optimizer.prepare(step, schedule.at(step));
                boolean report = (step + 1) % spec.logEvery == 0 || step + 1 == spec.trainSteps;
                Map<String, Double> metrics = new LinkedHashMap<>();
                if (batch.size > 0) {
                    java.util.OptionalDouble loss = java.util.OptionalDouble.empty();
                    while (loss.isEmpty()) {
                        // Read at every step: a swapped objective trains this batch. A failed objective with the
                        // pause policy comes back empty after the resume, and the step is redone in full.
                        List<Bound<Objective>> objectives = ctx.components(ctx.components.objectives, spec.objectiveTarget,
                                step);
                        metrics.clear();
                        loss = step(ctx, trainer, batch, recipe, objectives, device, step, report ? metrics : null);
                    }
                    windowLoss += loss.getAsDouble();
                    windowSteps++;
                    trainer.step();
                }
                if (report) {
                    double seconds = (System.nanoTime() - windowStart) / 1e9;
                    metrics.put("loss", windowSteps == 0 ? Double.NaN : windowLoss / windowSteps);
                    metrics.put("learning_rate", (double) schedule.at(step));
                    metrics.put("samples_per_second", windowSteps * spec.batchSize / Math.max(seconds, 1e-9));
                    metrics.put("data_wait_fraction", windowWait / 1e9 / Math.max(seconds, 1e-9));
                    int reported = step + 1;
                    ctx.events.emit(RunEvent.Type.METRIC, b -> {
                        b.step(reported, spec.trainSteps).message(NAME);
                        metrics.forEach(b::metric);
                        return b;
                    });
                    windowLoss = 0;
                    windowSteps = 0;
                    windowWait = 0;
                    windowStart = System.nanoTime();
                }
                progress.at(step + 1);
                if ((spec.checkpointEvery > 0 && (step + 1) % spec.checkpointEvery == 0) || step + 1 == spec.trainSteps) {
                    Path written = checkpoints.write(model, optimizer, new Checkpoints.Position(step + 1, consumed));
                    int at = step + 1;
                    ctx.events.emit(RunEvent.Type.CHECKPOINT, b -> b.step(at, spec.trainSteps).message(written.toString()));
                }
            }
        }
        dir.manifest().addProperty("final.step", spec.trainSteps);
    }

    /** The mixed, shuffled, endless stream of training samples; a pure function of the seed. */
    private static RawSampleSource stream(PipelineSpec spec, List<Path> humanShards, List<Path> syntheticShards,
            RunContext ctx) {
        RawSampleSource human = new ShardStream(humanShards, Hashes.seed(spec.seed, "human-shards"), true, true, ctx.problems);
        RawSampleSource mixed = human;
        if (!syntheticShards.isEmpty() && spec.syntheticRatio > 0) {
            RawSampleSource generated = new ShardStream(syntheticShards, Hashes.seed(spec.seed, "synthetic-shards"), true,
                    true, ctx.problems);
            mixed = new MixedSource(List.of(human, generated), new double[] {1 - spec.syntheticRatio, spec.syntheticRatio},
                    Hashes.seed(spec.seed, "mix"));
        }
        return new ShuffleBuffer(mixed, spec.shuffleBuffer, Hashes.seed(spec.seed, "shuffle"));
    }

    /** One optimisation step's forward and backward pass; returns the loss, or empty if it must be redone. */
    private static java.util.OptionalDouble step(RunContext ctx, Trainer trainer, HostBatch batch, ModelRecipe recipe,
            List<Bound<Objective>> objectives, Device device, int step, Map<String, Double> metrics) {
        try (NDManager scope = trainer.getManager().newSubManager(device);
                GradientScope gradients = ctx.devices.newGradientScope()) {
            NDList fields = batch.toNDList(scope, device);
            NDList outputs = trainer.forward(HostBatch.inputs(fields, recipe.inputs()));
            NDArray total = null;
            for (Bound<Objective> objective : objectives) {
                LossOutput out = ctx.attempt(objective, step, o -> o.service().compute(outputs, fields)).orElse(null);
                if (out == null) {
                    return java.util.OptionalDouble.empty(); // failed, paused, resumed: redo the step
                }
                NDArray weighted = out.loss().mul((float) weight(ctx.spec, objective));
                total = total == null ? weighted : total.add(weighted);
                if (metrics != null) {
                    String prefix = objectives.size() > 1 ? objective.name() + "/" : "";
                    metrics.put(prefix + "objective_loss", (double) out.loss().getFloat());
                    out.metrics().forEach((name, value) -> metrics.put(prefix + name, (double) value.toType(DataType.FLOAT32,
                            false).getFloat()));
                }
            }
            if (total == null) {
                throw new StageFailure("no objective produced a loss at step " + step);
            }
            gradients.backward(total);
            float loss = total.getFloat();
            if (Float.isNaN(loss) || Float.isInfinite(loss)) {
                throw new StageFailure(String.format(Locale.ROOT, "the loss became %s at step %d; lower the learning rate"
                        + " (%s) or check the data", loss, step, ctx.spec.learningRate));
            }
            return java.util.OptionalDouble.of(loss);
        }
    }
}
