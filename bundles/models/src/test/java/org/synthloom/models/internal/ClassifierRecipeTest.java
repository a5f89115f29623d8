package org.synthloom.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.train.Scalars;
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
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** The classifier recipe (supervised baseline) with the cnn encoder, on the real PyTorch engine. */
class ClassifierRecipeTest {

    private static final int SIZE = 16;
    private static final int CLASSES = 4;
    private static final DataSpec SPEC = DataSpec.builder().images(SIZE, 3).classes(CLASSES).build();

    private NDManager manager;

    @BeforeEach
    void engine() {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(42);
        manager = engine.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static ClassifierRecipe recipe(int embedDim) {
        return new ClassifierRecipe(new CnnImageEncoder(Configs.of(CnnImageConfig.class, Map.of())),
                Configs.of(ClassifierConfig.class, Map.of("embed_dim", embedDim)));
    }

    @Test
    void fieldsAndBadSettingsAreNamed() {
        ClassifierRecipe recipe = recipe(16);
        assertEquals(List.of(Fields.IMAGES), recipe.inputs());
        assertEquals(List.of(Fields.IMAGE_EMBEDS, "class_logits"), List.copyOf(recipe.outputs()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> recipe.newModel(DataSpec.builder().images(SIZE, 3).build()));
        assertTrue(e.getMessage().contains("classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> recipe(0));
        assertTrue(e.getMessage().contains(ClassifierRecipe.PID) && e.getMessage().contains("embed.dim"), e.getMessage());
    }

    @Test
    void logitsAreTheLinearHeadOfTheUnitEmbeddings() {
        Block block = recipe(16).newModel(SPEC);
        block.initialize(manager, DataType.FLOAT32, new Shape(6, 3, SIZE, SIZE));
        try (NDManager m = manager.newSubManager()) {
            NDList out = block.forward(new ParameterStore(m, false), batch(m, new SplittableRandom(1), 6).images(), false);
            NDArray embeds = out.get(Fields.IMAGE_EMBEDS);
            NDArray logits = out.get("class_logits");
            assertEquals(new Shape(6, 16), embeds.getShape());
            assertEquals(new Shape(6, CLASSES), logits.getShape());
            float[] norms = embeds.norm(new int[] {1}).toFloatArray();
            for (float norm : norms) {
                assertEquals(1f, norm, 1e-5f);
            }
            // By hand, in double: logits[i][c] = sum_d W[c][d] e[i][d] + b[c].
            float[] w = parameter(block, "head_weight");
            float[] b = parameter(block, "head_bias");
            float[] e = embeds.toFloatArray();
            float[] got = logits.toFloatArray();
            for (int i = 0; i < 6; i++) {
                for (int c = 0; c < CLASSES; c++) {
                    double expected = b[c];
                    for (int d = 0; d < 16; d++) {
                        expected += (double) w[c * 16 + d] * e[i * 16 + d];
                    }
                    assertEquals(expected, got[i * CLASSES + c], 1e-5, "logit " + i + ", " + c);
                }
            }
        }
    }

    /** A parameter by the end of its path (DJL numbers child blocks: {@code 03head_weight}). */
    private static float[] parameter(Block block, String suffix) {
        return block.getParameters().stream().filter(p -> p.getKey().endsWith(suffix)).findFirst().orElseThrow()
                .getValue().getArray().toFloatArray();
    }

    /** Four noisy patterns: 80 Adam steps of cross-entropy on class_logits classify fresh samples. */
    @Test
    void itLearnsToClassifyNoisyPatterns() {
        Block block = recipe(32).newModel(SPEC);
        try (Model model = Model.newInstance("classifier-test", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optDevices(new Device[] {Device.cpu()})
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(16, 3, SIZE, SIZE));
                SplittableRandom random = new SplittableRandom(7);
                double before = accuracy(block, new SplittableRandom(99));
                double first = 0;
                double last = 0;
                for (int step = 0; step < 80; step++) {
                    try (NDManager m = model.getNDManager().newSubManager();
                            GradientCollector collector = trainer.newGradientCollector()) {
                        Batch batch = batch(m, random, 16);
                        NDArray logits = trainer.forward(batch.images()).get("class_logits");
                        NDArray loss = logits.logSoftmax(1).mul(batch.oneHot()).sum().div(Scalars.like(logits, -16f));
                        collector.backward(loss);
                        last = loss.getFloat();
                        first = step == 0 ? last : first;
                    }
                    trainer.step();
                }
                double after = accuracy(block, new SplittableRandom(99));
                System.out.printf(Locale.ROOT, "classifier toy task: accuracy %.3f -> %.3f (chance 0.25), loss %.3f -> %.3f%n",
                        before, after, first, last);
                assertTrue(after >= 0.9, "accuracy on fresh samples " + before + " -> " + after + ", chance 0.25");
                assertTrue(last < first / 2, "loss " + first + " -> " + last);
            }
        }
    }

    private double accuracy(Block block, SplittableRandom random) {
        try (NDManager m = manager.newSubManager()) {
            Batch batch = batch(m, random, 64);
            NDList out = block.forward(new ParameterStore(m, false), batch.images(), false);
            long[] predicted = out.get("class_logits").argMax(1).toLongArray();
            int hits = 0;
            for (int i = 0; i < predicted.length; i++) {
                hits += predicted[i] == batch.labels()[i] ? 1 : 0;
            }
            return hits / (double) predicted.length;
        }
    }

    private record Batch(NDList images, NDArray oneHot, int[] labels) {}

    /** {@code n} samples of random classes: a pattern in -1/1 plus Gaussian noise of deviation 0.5. */
    private static Batch batch(NDManager m, SplittableRandom random, int n) {
        float[] pixels = new float[n * 3 * SIZE * SIZE];
        float[] oneHot = new float[n * CLASSES];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(CLASSES);
            labels[i] = k;
            oneHot[i * CLASSES + k] = 1;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        boolean on = switch (k) {
                            case 0 -> y / 4 % 2 == 0;
                            case 1 -> x / 4 % 2 == 0;
                            case 2 -> x < SIZE / 2;
                            default -> y < SIZE / 2;
                        };
                        pixels[((i * 3 + c) * SIZE + y) * SIZE + x] = (on ? 1f : -1f) + 0.5f * (float) gaussian(random);
                    }
                }
            }
        }
        NDArray images = m.create(pixels, new Shape(n, 3, SIZE, SIZE));
        images.setName(Fields.IMAGES);
        return new Batch(new NDList(images), m.create(oneHot, new Shape(n, CLASSES)), labels);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Test
    void savedParametersLoadIntoAFreshBlock() throws Exception {
        Block block = recipe(8).newModel(SPEC);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, SIZE, SIZE));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        Block fresh = recipe(8).newModel(SPEC);
        fresh.initialize(manager, DataType.FLOAT32, new Shape(2, 3, SIZE, SIZE));
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            fresh.loadParameters(manager, in);
        }
        try (NDManager m = manager.newSubManager()) {
            NDList images = batch(m, new SplittableRandom(3), 2).images();
            assertArrayEquals(block.forward(new ParameterStore(m, false), images, false).get("class_logits").toFloatArray(),
                    fresh.forward(new ParameterStore(m, false), images, false).get("class_logits").toFloatArray());
        }
    }
}
