package org.synthloom.models.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.testkit.Configs;

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
 * Times clip-tiny training steps (the contract in the benchmarks: ViT patch 8 on 3x64x64, text
 * vocabulary 1000 and context 32, width 192, depth 4, 3 heads, projections to 128, symmetric
 * InfoNCE, AdamW lr 1e-3, batch 128, random inputs) with this bundle's {@code vit},
 * {@code transformer-text} and {@code clip}. Not a test: run it by hand, e.g.
 *
 * <pre>
 * mvn -o -q test-compile -pl bundles/models
 * mvn -o -q dependency:build-classpath -pl bundles/models -Dmdep.outputFile=/tmp/cp.txt
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
 *   -cp bundles/models/target/classes:bundles/models/target/test-classes:$(cat /tmp/cp.txt) \
 *   org.synthloom.models.internal.ClipTinyTiming [timed steps, default 10] [profile trace file]
 * </pre>
 *
 * <p>Prints the parameter count, each step's time, the median samples per second, the step's
 * matrix-product FLOP rate (140 GFLOP per step, counted by hand) and the 2048x2048 GEMM rate
 * measured before each step, and their ratio. With a second argument it records one more step
 * with libtorch's profiler into that Chrome trace file. With {@code -Dmim.ratio=0.4} the recipe
 * adds masked image modelling and the step its loss (the FLOP count stays that of the model
 * without it, so the rate then understates the work).
 */
public final class ClipTinyTiming {

    private static final int BATCH = 128;
    private static final int WARM_UP = 3;
    private static final int GEMM = 2048;
    private static final double STEP_FLOP = stepFlop();

    private ClipTinyTiming() {}

    /**
     * @param args timed steps, then optionally a profile trace file
     */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(0);
        DataSpec spec = DataSpec.builder().images(64, 3).text(1000, 32).build();
        ClipRecipe recipe = new ClipRecipe(new VitEncoder(Configs.defaults(VitConfig.class)),
                new TransformerTextEncoder(Configs.defaults(TransformerTextConfig.class)),
                Configs.of(ClipConfig.class, Map.of("embed_dim", 128, "mim_ratio",
                        Float.parseFloat(System.getProperty("mim.ratio", "0")))));
        Block block = recipe.newModel(spec);
        Shape[] shapes = {new Shape(BATCH, 3, 64, 64), new Shape(BATCH, 32), new Shape(BATCH, 32)};
        try (Model model = Model.newInstance("clip-tiny", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optDevices(new Device[] {Device.cpu()})
                    .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
            try (Trainer trainer = model.newTrainer(config); NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(shapes);
                long parameters = TransformerBlocksTest.parameterCount(block);
                NDArray images = data.randomNormal(shapes[0]);
                images.setName(Fields.IMAGES);
                NDArray tokens = data.randomInteger(0, 1000, shapes[1], DataType.INT64);
                tokens.setName(Fields.TEXT_TOKENS);
                NDArray mask = data.ones(shapes[2], DataType.INT64);
                mask.setName(Fields.TEXT_MASK);
                NDList batch = new NDList(images, tokens, mask);
                // Each timed step follows a 2048^3 GEMM on the same engine: the machine is shared, so
                // the step's FLOP rate is reported as a fraction of the GEMM rate measured beside it.
                NDArray a = data.randomNormal(new Shape(GEMM, GEMM));
                NDArray b = data.randomNormal(new Shape(GEMM, GEMM));
                double[] seconds = new double[steps];
                double[] gemm = new double[steps];
                float[] losses = new float[WARM_UP + steps];
                for (int i = 0; i < WARM_UP + steps; i++) {
                    if (i >= WARM_UP) {
                        gemm[i - WARM_UP] = gemmRate(a, b);
                    }
                    long start = System.nanoTime();
                    losses[i] = step(model, trainer, batch);
                    if (i >= WARM_UP) {
                        seconds[i - WARM_UP] = (System.nanoTime() - start) / 1e9;
                    }
                }
                double median = median(seconds);
                double ceiling = median(gemm);
                double achieved = STEP_FLOP / median / 1e9;
                System.out.printf(Locale.ROOT, "djl %s threads=%s params=%d steps=%d batch=%d step_s=%s median_samples_per_s=%.1f"
                        + " step_GFLOP/s=%.1f gemm_GFLOP/s=%.1f fraction=%.2f losses=%s%n", engine.getVersion(),
                        System.getProperty("ai.djl.pytorch.num_threads", "default"), parameters, steps, BATCH,
                        Arrays.toString(Arrays.stream(seconds).map(s -> Math.round(s * 1000) / 1000.0).toArray()),
                        BATCH / median, achieved, ceiling, achieved / ceiling, Arrays.toString(losses));
                if (args.length > 1) {
                    JniUtils.startProfile(false, true, false);
                    step(model, trainer, batch);
                    JniUtils.stopProfile(args[1]);
                    System.out.println("profile of one step: " + args[1]);
                }
            }
        }
    }

    /** GFLOP/s of one {@code a.matMul(b)}. */
    private static double gemmRate(NDArray a, NDArray b) {
        long start = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
            c.getFloat(0, 0); // the product is done before the clock stops
        }
        return 2.0 * GEMM * GEMM * GEMM / ((System.nanoTime() - start) / 1e9) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Matrix-product FLOPs of one training step, counted by hand: per sample, the ViT (64 patches +
     * class token: QKV, scores, weighted values, output projection, MLP; the patch convolution) and
     * the text transformer (32 tokens), times 3 for forward and backward; the projections and the
     * logits are below 0.1%.
     */
    private static double stepFlop() {
        double w = 192;
        double vitTokens = 65;
        double textTokens = 32;
        double vit = 4 * layerFlop(vitTokens, w) + 2 * 64 * (3 * 8 * 8) * w;
        double text = 4 * layerFlop(textTokens, w);
        return 3 * BATCH * (vit + text);
    }

    private static double layerFlop(double n, double w) {
        return 2 * n * w * 3 * w + 2 * 2 * n * n * w + 2 * n * w * w + 2 * 2 * n * w * 4 * w;
    }

    private static float step(Model model, Trainer trainer, NDList batch) {
        float loss;
        try (NDManager step = model.getNDManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            NDList out = trainer.forward(batch);
            NDArray value = ClipRecipeTest.infoNce(out);
            if (out.contains(Fields.MIM_MASK)) {
                value = value.add(MaskedImageModellingTest.mimLoss(out));
            }
            collector.backward(value);
            loss = value.getFloat();
        }
        trainer.step();
        return loss;
    }
}
