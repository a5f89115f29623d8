package org.synthloom.bench;

import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.models.internal.BenchRecipes;
import org.synthloom.objectives.internal.ClipObjective;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * Synthloom's side of the clip-tiny contract: the {@code clip} recipe over the {@code vit} and
 * {@code transformer-text} encoders at their defaults (the contract's towers), projections to 128,
 * the {@code clip} objective (symmetric InfoNCE), DJL's AdamW at lr 1e-3, batch 128 of random
 * inputs, float32 on the CPU. One instance keeps its model and optimizer state across repetitions,
 * as a training run does; the caller alternates its repetitions with the peer's.
 */
final class ClipTiny implements AutoCloseable {

    /** Batch size of the contract. */
    static final int BATCH = 128;
    /** Side of the square matrices of the GEMM ceiling. */
    static final int GEMM = 2048;

    private final Model model;
    private final Trainer trainer;
    private final NDManager data;
    private final NDList batch;
    private final int textContext;
    /** The batch with its text cut to fewer tokens, by token count (CLIPS's partial captions). */
    private final java.util.Map<Integer, NDList> shortText = new java.util.HashMap<>();
    private final ClipObjective objective = new ClipObjective();
    private final NDArray gemmA;
    private final NDArray gemmB;

    /** The contract's model: text context 32. */
    ClipTiny() {
        this(32);
    }

    /**
     * @param textContext the text tower's context (the contract's is 32); batches carry that many
     *     text tokens unless {@link #samplesPerSecond(int, int)} cuts them
     */
    ClipTiny(int textContext) {
        this.textContext = textContext;
        Engine.getEngine("PyTorch").setRandomSeed(0);
        DataSpec spec = DataSpec.builder().images(64, 3).text(1000, textContext).build();
        Block block = BenchRecipes.clipTiny().newModel(spec);
        Shape[] shapes = {new Shape(BATCH, 3, 64, 64), new Shape(BATCH, textContext), new Shape(BATCH, textContext)};
        model = Model.newInstance("clip-tiny", Device.cpu(), "PyTorch");
        model.setBlock(block);
        // The loss given to DJL is unused: the objective computes it.
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optDevices(new Device[] {Device.cpu()})
                .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
        trainer = model.newTrainer(config);
        trainer.initialize(shapes);
        data = model.getNDManager().newSubManager();
        NDArray images = data.randomNormal(shapes[0]);
        images.setName(Fields.IMAGES);
        NDArray tokens = data.randomInteger(0, 1000, shapes[1], DataType.INT64);
        tokens.setName(Fields.TEXT_TOKENS);
        NDArray mask = data.ones(shapes[2], DataType.INT64);
        mask.setName(Fields.TEXT_MASK);
        batch = new NDList(images, tokens, mask);
        gemmA = data.randomNormal(new Shape(GEMM, GEMM));
        gemmB = data.randomNormal(new Shape(GEMM, GEMM));
    }

    /** @return the libtorch version */
    static String engineVersion() {
        return Engine.getEngine("PyTorch").getVersion();
    }

    /** One training step: forward, loss, backward, optimizer step; returns the loss. */
    float step() {
        return step(batch);
    }

    private float step(NDList batch) {
        float loss;
        try (NDManager scope = model.getNDManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            // The step's arrays follow their inputs' manager: lending the batch to the step scope
            // frees activations and gradients of the graph with the scope, as the engine's loop does.
            batch.tempAttach(scope);
            NDArray value = objective.compute(trainer.forward(batch), batch).loss();
            collector.backward(value);
            loss = value.getFloat();
        }
        trainer.step();
        return loss;
    }

    /**
     * Times {@code steps} training steps.
     *
     * @return samples per second
     */
    double samplesPerSecond(int steps) {
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step();
        }
        return (double) steps * BATCH / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Times {@code steps} training steps whose captions are {@code textTokens} tokens long instead of
     * the full context: the same images, the first {@code textTokens} tokens and mask columns (the
     * text tower's work is what CLIPS's sub-captions save).
     *
     * @return samples per second
     */
    double samplesPerSecond(int steps, int textTokens) {
        if (textTokens < 1 || textTokens > textContext) {
            throw new IllegalArgumentException("text tokens must be 1 to " + textContext + ", not " + textTokens);
        }
        NDList cut = textTokens == textContext ? batch : shortText.computeIfAbsent(textTokens, n -> {
            NDList list = new NDList();
            for (NDArray array : batch) {
                NDArray part = Fields.IMAGES.equals(array.getName()) ? array : array.get(":, :" + n);
                part.setName(array.getName());
                list.add(part);
            }
            return list;
        });
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step(cut);
        }
        return (double) steps * BATCH / ((System.nanoTime() - start) / 1e9);
    }

    /** @return GFLOP/s of one 2048x2048 float32 matrix product on the engine */
    double gemmGflops() {
        long start = System.nanoTime();
        try (NDArray c = gemmA.matMul(gemmB)) {
            c.getFloat(0, 0); // the product is complete before the clock stops
        }
        return 2.0 * GEMM * GEMM * GEMM / ((System.nanoTime() - start) / 1e9) / 1e9;
    }

    /** Records one step with libtorch's profiler into a Chrome trace file. */
    void profile(String traceFile) {
        JniUtils.startProfile(false, true, false);
        step();
        JniUtils.stopProfile(traceFile);
    }

    /**
     * Matrix-product FLOPs of one step, counted by hand: per sample and layer, the fused QKV
     * projection, scores and weighted values, the output projection and the MLP, for the ViT
     * (65 tokens) and the text transformer (32 tokens), plus the patch convolution; backward
     * costs twice forward. The projections and the logits are below 0.1% and left out.
     */
    static double stepFlop() {
        double width = 192;
        double depth = 4;
        double patches = 64;
        double patchInputs = 3 * 8 * 8;
        double forward = depth * layerFlop(patches + 1, width) + 2 * patches * patchInputs * width
                + depth * layerFlop(32, width);
        return 3 * BATCH * forward;
    }

    private static double layerFlop(double tokens, double width) {
        double qkv = 2 * tokens * width * 3 * width;
        double attention = 2 * 2 * tokens * tokens * width;
        double output = 2 * tokens * width * width;
        double mlp = 2 * 2 * tokens * width * 4 * width;
        return qkv + attention + output + mlp;
    }

    @Override
    public void close() {
        data.close();
        trainer.close();
        model.close();
    }
}
