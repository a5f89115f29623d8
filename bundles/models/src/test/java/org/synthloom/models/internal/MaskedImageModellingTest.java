package org.synthloom.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.Scalars;
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
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * Masked image modelling in the {@code clip} recipe ({@code mim.ratio > 0}): outputs, the mask,
 * the EMA teacher, saving and resuming, and a learning test; on the real PyTorch engine.
 */
class MaskedImageModellingTest {

    private static final int SIZE = 16;
    private static final int CONTEXT = 8;
    private static final int BATCH = 8;
    /** Patch 4 on 16x16: 16 patches. */
    private static final int PATCHES = 16;
    private static final int WIDTH = 32;
    private static final DataSpec SPEC = DataSpec.builder().images(SIZE, 3).text(259, CONTEXT).build();
    private static final Shape[] SHAPES = {new Shape(BATCH, 3, SIZE, SIZE), new Shape(BATCH, CONTEXT),
        new Shape(BATCH, CONTEXT)};

    private Engine engine;
    private NDManager manager;

    @BeforeEach
    void engine() {
        engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(42);
        manager = engine.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** The recipe under test; {@code ratio} null leaves both MIM properties unset (the defaults). */
    private static ClipRecipe recipe(Float ratio, float momentum) {
        Map<String, Object> clip = new HashMap<>(Map.of("embed_dim", 16));
        if (ratio != null) {
            clip.put("mim_ratio", ratio);
            clip.put("mim_momentum", momentum);
        }
        return new ClipRecipe(
                new VitEncoder(Configs.of(VitConfig.class, Map.of("patch", 4, "width", WIDTH, "depth", 2, "heads", 2))),
                new TransformerTextEncoder(Configs.of(TransformerTextConfig.class,
                        Map.of("width", 16, "depth", 1, "heads", 2))),
                Configs.of(ClipConfig.class, clip));
    }

    private Block model(Float ratio, float momentum) {
        engine.setRandomSeed(42);
        Block block = recipe(ratio, momentum).newModel(SPEC);
        block.initialize(manager, DataType.FLOAT32, SHAPES);
        return block;
    }

    @Test
    void configurationIsValidatedAndTheOutputsDeclared() {
        assertEquals(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE),
                List.copyOf(recipe(null, 0).outputs()));
        assertEquals(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE, Fields.MIM_PREDICTIONS,
                Fields.MIM_TARGETS, Fields.MIM_MASK), List.copyOf(recipe(0.4f, 0.996f).outputs()));
        for (float bad : new float[] {-0.1f, 1f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recipe(bad, 0.996f));
            assertTrue(e.getMessage().contains(ClipRecipe.PID) && e.getMessage().contains("mim.ratio"), e.getMessage());
        }
        for (float bad : new float[] {-0.1f, 1.5f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recipe(0.4f, bad));
            assertTrue(e.getMessage().contains("mim.momentum"), e.getMessage());
        }
    }

    @Test
    void anEncoderWithoutPatchFeaturesIsRefusedAtNewModel() {
        ClipRecipe cnn = new ClipRecipe(new CnnImageEncoder(Configs.of(CnnImageConfig.class, Map.of())),
                new CnnTextEncoder(Configs.of(CnnTextConfig.class, Map.of())),
                Configs.of(ClipConfig.class, Map.of("mim_ratio", 0.4f)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cnn.newModel(SPEC));
        assertTrue(e.getMessage().contains("mim.ratio") && e.getMessage().contains("CnnImageEncoder"), e.getMessage());
    }

    /**
     * mim.ratio = 0 builds the model of before (same parameters, same numbers for the seed); with
     * MIM the contrastive outputs of a training pass are still those of the unmasked model, and
     * inference makes no MIM output.
     */
    @Test
    void theContrastiveOutputsAreThoseOfTheModelWithoutMim() {
        Block before = model(null, 0);
        Block off = model(0f, 0.996f);
        Block on = model(0.4f, 0.996f);
        assertEquals(before.getParameters().keys(), off.getParameters().keys());
        assertTrue(on.getParameters().keys().containsAll(before.getParameters().keys()));
        try (NDManager step = manager.newSubManager()) {
            NDList batch = batch(step, new Random(1));
            for (boolean training : new boolean[] {false, true}) {
                NDList a = before.forward(new ParameterStore(step, false), batch, training);
                NDList b = off.forward(new ParameterStore(step, false), batch, training);
                NDList c = on.forward(new ParameterStore(step, false), batch, training);
                assertEquals(3, a.size());
                assertEquals(3, b.size());
                assertEquals(training ? 6 : 3, c.size(), "training " + training);
                for (String name : List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE)) {
                    assertArrayEquals(a.get(name).toFloatArray(), b.get(name).toFloatArray(), 0f, name);
                    assertArrayEquals(a.get(name).toFloatArray(), c.get(name).toFloatArray(), 0f, name);
                }
            }
            assertNull(on.forward(new ParameterStore(step, false), batch, false).get(Fields.MIM_MASK));
        }
    }

    @Test
    void aTrainingPassMasksPatchesAndNormalisesTheTargets() {
        Block block = model(0.4f, 0.996f);
        try (NDManager step = manager.newSubManager()) {
            NDList out = block.forward(new ParameterStore(step, false), batch(step, new Random(1)), true);
            NDArray predictions = out.get(Fields.MIM_PREDICTIONS);
            NDArray targets = out.get(Fields.MIM_TARGETS);
            NDArray mask = out.get(Fields.MIM_MASK);
            assertEquals(new Shape(BATCH, PATCHES, WIDTH), predictions.getShape());
            assertEquals(new Shape(BATCH, PATCHES, WIDTH), targets.getShape());
            assertEquals(new Shape(BATCH, PATCHES), mask.getShape());
            assertEquals(DataType.INT32, mask.getDataType());
            // round(0.4 * 16) = 6 patches per image
            for (int row : mask.sum(new int[] {1}).toType(DataType.INT32, false).toIntArray()) {
                assertEquals(6, row);
            }
            float[] means = targets.mean(new int[] {-1}).toFloatArray();
            float[] variances = targets.sub(targets.mean(new int[] {-1}, true)).square().mean(new int[] {-1})
                    .toFloatArray();
            for (int i = 0; i < means.length; i++) {
                assertEquals(0f, means[i], 1e-5f);
                assertEquals(1f, variances[i], 1e-3f);
            }
            // The next pass draws another mask (the counter moved).
            NDArray next = block.forward(new ParameterStore(step, false), batch(step, new Random(1)), true)
                    .get(Fields.MIM_MASK);
            assertFalse(next.contentEquals(mask), "two passes drew the same mask");
        }
    }

    /**
     * The teacher starts as the student, moves by (1 - m) toward it before each training pass,
     * is frozen, and the trainer's optimizer is never asked to update it (nor the mask seed and
     * counter): the trainer's parameter store hands an optimizer, DJL's or the engine's
     * {@code AdamW} alike, only the parameters that require a gradient.
     */
    @Test
    void theTeacherIsAnEmaOfTheStudentThatTheOptimizerLeavesAlone() {
        float momentum = 0.9f;
        Block block = recipe(0.4f, momentum).newModel(SPEC);
        try (Model model = Model.newInstance("mim-test", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            engine.setRandomSeed(42);
            Recording optimizer = new Recording(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optDevices(new Device[] {Device.cpu()})
                    .optOptimizer(optimizer);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(SHAPES);
                List<Pair<Parameter, Parameter>> pairs = studentTeacherPairs(block);
                for (Pair<Parameter, Parameter> pair : pairs) {
                    assertFalse(pair.getValue().requiresGradient(), pair.getValue().getName());
                    assertTrue(pair.getKey().requiresGradient(), pair.getKey().getName());
                    assertArrayEquals(pair.getKey().getArray().toFloatArray(), pair.getValue().getArray().toFloatArray(),
                            0f, "a new teacher is the student");
                }
                Random random = new Random(3);
                for (int i = 0; i < 3; i++) {
                    float[][] students = new float[pairs.size()][];
                    float[][] teachers = new float[pairs.size()][];
                    for (int p = 0; p < pairs.size(); p++) {
                        students[p] = pairs.get(p).getKey().getArray().toFloatArray();
                        teachers[p] = pairs.get(p).getValue().getArray().toFloatArray();
                    }
                    try (NDManager step = model.getNDManager().newSubManager();
                            GradientCollector collector = trainer.newGradientCollector()) {
                        NDList out = trainer.forward(batch(step, random));
                        collector.backward(ClipRecipeTest.infoNce(out).add(mimLoss(out)));
                    }
                    trainer.step();
                    boolean studentMoved = false;
                    for (int p = 0; p < pairs.size(); p++) {
                        float[] teacher = pairs.get(p).getValue().getArray().toFloatArray();
                        float[] student = pairs.get(p).getKey().getArray().toFloatArray();
                        for (int k = 0; k < teacher.length; k++) {
                            float expected = momentum * teachers[p][k] + (1 - momentum) * students[p][k];
                            assertEquals(expected, teacher[k], 1e-6f + 1e-6f * Math.abs(expected),
                                    pairs.get(p).getValue().getName() + "[" + k + "] at step " + i);
                            studentMoved |= student[k] != students[p][k];
                        }
                    }
                    assertTrue(studentMoved, "the optimizer trained the student");
                }
                for (Pair<Parameter, Parameter> pair : pairs) {
                    assertTrue(optimizer.updated.contains(pair.getKey().getId()), pair.getKey().getName());
                    assertFalse(optimizer.updated.contains(pair.getValue().getId()), pair.getValue().getName());
                }
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (p.getKey().endsWith("mask_seed") || p.getKey().endsWith("mask_step")) {
                        assertFalse(optimizer.updated.contains(p.getValue().getId()), p.getKey());
                    }
                }
            }
        }
    }

    /** An optimizer that records which parameters it was asked to update, and delegates. */
    private static final class Recording extends Optimizer {

        final java.util.Set<String> updated = new java.util.HashSet<>();
        private final Optimizer delegate;

        private static final class Settings extends OptimizerBuilder<Settings> {
            @Override
            protected Settings self() {
                return this;
            }
        }

        Recording(Optimizer delegate) {
            super(new Settings());
            this.delegate = delegate;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            updated.add(parameterId);
            delegate.update(parameterId, weight, grad);
        }
    }

    /**
     * The student's parameters (the image encoder's) paired with the teacher's of the same path
     * (DJL prefixes a child's name with its two-digit position).
     */
    private static List<Pair<Parameter, Parameter>> studentTeacherPairs(Block block) {
        Map<String, Parameter> students = new HashMap<>();
        Map<String, Parameter> teachers = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().matches("\\d\\dimage_encoder_.*")) {
                students.put(p.getKey().substring(p.getKey().indexOf("image_encoder_") + 14), p.getValue());
            } else if (p.getKey().matches("\\d\\dmim_\\d\\dteacher_.*")) {
                teachers.put(p.getKey().substring(p.getKey().indexOf("teacher_") + 8), p.getValue());
            }
        }
        assertEquals(students.keySet(), teachers.keySet(), block.getParameters().keys().toString());
        assertTrue(students.size() > 5, students.keySet().toString());
        return students.keySet().stream().sorted().map(k -> new Pair<>(students.get(k), teachers.get(k))).toList();
    }

    /**
     * Saved mid-run (teacher, mask seed and counter included) and loaded into a fresh block, the
     * model continues exactly as the original: same masks, targets and predictions.
     */
    @Test
    void aLoadedModelContinuesWithTheSameMasksAndTeacher() throws Exception {
        Block trained = model(0.4f, 0.9f);
        try (NDManager step = manager.newSubManager()) {
            for (int i = 0; i < 2; i++) {
                trained.forward(new ParameterStore(step, false), batch(step, new Random(i)), true);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            trained.saveParameters(out);
        }
        Block loaded = recipe(0.4f, 0.9f).newModel(SPEC);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            loaded.loadParameters(manager, in);
        }
        // A fresh block of the same seed has the same mask seed; the loaded one must also have the counter.
        Block fresh = model(0.4f, 0.9f);
        try (NDManager step = manager.newSubManager()) {
            for (int i = 0; i < 3; i++) {
                NDList batch = batch(step, new Random(10 + i));
                NDList a = trained.forward(new ParameterStore(step, false), batch, true);
                NDList b = loaded.forward(new ParameterStore(step, false), batch, true);
                NDList c = fresh.forward(new ParameterStore(step, false), batch, true);
                for (String name : List.of(Fields.MIM_MASK, Fields.MIM_TARGETS, Fields.MIM_PREDICTIONS, Fields.IMAGE_EMBEDS)) {
                    assertArrayEquals(a.get(name).toType(DataType.FLOAT32, false).toFloatArray(),
                            b.get(name).toType(DataType.FLOAT32, false).toFloatArray(), 0f, name + " at pass " + i);
                }
                assertFalse(a.get(Fields.MIM_MASK).contentEquals(c.get(Fields.MIM_MASK)),
                        "the counter was saved: a fresh block draws the masks of the first passes");
            }
        }
    }

    /** Two models built and trained from the same engine seed draw the same masks. */
    @Test
    void theMasksFollowTheEngineSeed() {
        NDArray[] masks = new NDArray[3];
        try (NDManager step = manager.newSubManager()) {
            NDList batch = batch(step, new Random(1));
            for (int i = 0; i < 3; i++) {
                engine.setRandomSeed(i < 2 ? 7 : 8);
                Block block = recipe(0.4f, 0.996f).newModel(SPEC);
                block.initialize(manager, DataType.FLOAT32, SHAPES);
                masks[i] = block.forward(new ParameterStore(step, false), batch, true).get(Fields.MIM_MASK);
            }
            assertTrue(masks[0].contentEquals(masks[1]), "the same seed drew two masks");
            assertFalse(masks[0].contentEquals(masks[2]), "another seed drew the same mask");
        }
    }

    /**
     * The learning test: a small ViT (16 patches, width 32, depth 2) with MIM (ratio 0.4, the
     * default momentum 0.996) plus InfoNCE on a tiny synthetic image set (noisy shapes with their
     * names as captions, a fresh noise draw each step); over 150 Adam steps on a fixed seed the
     * MIM loss (mean 1 - cosine over the masked patches) falls by 40 % or more, and on a fresh
     * batch the predictions beat the best position-blind guess (each image's mean target, which
     * even sees the masked patches) by 20 % or more: the student predicts what is at each masked
     * patch, not one vector per image (the shortcut of a collapsed teacher).
     */
    @Test
    void theMimLossFalls() {
        int steps = 150;
        engine.setRandomSeed(42);
        Block block = recipe(0.4f, 0.996f).newModel(SPEC);
        try (Model model = Model.newInstance("mim-learn", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optDevices(new Device[] {Device.cpu()})
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(2e-3f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(SHAPES);
                Random random = new Random(5);
                double[] losses = new double[steps];
                long started = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    try (NDManager step = model.getNDManager().newSubManager();
                            GradientCollector collector = trainer.newGradientCollector()) {
                        NDList out = trainer.forward(batch(step, random));
                        NDArray mim = mimLoss(out);
                        collector.backward(ClipRecipeTest.infoNce(out).add(mim));
                        losses[i] = mim.getFloat();
                    }
                    trainer.step();
                }
                double first = mean(losses, 0, 10);
                double last = mean(losses, steps - 10, steps);
                double seconds = (System.nanoTime() - started) / 1e9;
                double[] check = afterTraining(block, new Random(99));
                System.out.printf(Locale.ROOT, "MIM toy task: loss %.4f -> %.4f (mean of first and last 10 of %d steps), "
                        + "%.1f s; on a fresh batch: loss %.4f, each image's mean target as the prediction %.4f, "
                        + "mean cosine between an image's patch targets %.3f%n", first, last, steps, seconds, check[0],
                        check[1], check[2]);
                assertTrue(last < 0.6 * first, "MIM loss " + first + " -> " + last);
                // Not learnt by collapse: predicting one vector per image (the best a collapsed
                // student could do) would cost clearly more than the student's predictions.
                assertTrue(check[0] < 0.8 * check[1], "loss " + check[0] + ", one vector per image " + check[1]);
            }
        }
    }

    /**
     * On a fresh batch: the MIM loss of the model's predictions; the loss of predicting, at every
     * masked patch, the image's mean target (position-blind); the mean cosine between the targets
     * of two different patches of one image.
     */
    private double[] afterTraining(Block block, Random random) {
        try (NDManager step = manager.newSubManager()) {
            NDList out = block.forward(new ParameterStore(step, false), batch(step, random), true);
            NDArray t = out.get(Fields.MIM_TARGETS);
            NDArray blind = t.mean(new int[] {1}, true).broadcast(t.getShape());
            blind.setName(Fields.MIM_PREDICTIONS);
            double baseline = mimLoss(new NDList(blind, t, out.get(Fields.MIM_MASK))).getFloat();
            NDArray unit = t.div(t.norm(new int[] {-1}, true));
            float total = unit.matMul(unit.transpose(0, 2, 1)).sum().getFloat();
            // The diagonal holds B * N ones.
            double similarity = (total - BATCH * PATCHES) / (BATCH * PATCHES * (PATCHES - 1.0));
            return new double[] {mimLoss(out).getFloat(), baseline, similarity};
        }
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }

    /** Mean over the masked patches of 1 - cosine(prediction, target): the {@code mim} objective's loss. */
    static NDArray mimLoss(NDList out) {
        NDArray p = out.get(Fields.MIM_PREDICTIONS);
        NDArray t = out.get(Fields.MIM_TARGETS);
        NDArray m = out.get(Fields.MIM_MASK).toType(DataType.FLOAT32, false);
        NDArray cosine = p.mul(t).sum(new int[] {-1})
                .div(p.norm(new int[] {-1}).mul(t.norm(new int[] {-1})).maximum(Scalars.like(p, 1e-8f)));
        return Scalars.like(p, 1f).sub(cosine).mul(m).sum().div(m.sum());
    }

    /**
     * {@link #BATCH} noisy images of 4 of {@link ClipRecipeTest}'s patterns (horizontal and vertical
     * stripes, a centred square, a frame; two of each, noise deviation 0.3) with their names as
     * captions: a fresh noise draw from {@code random} each call.
     */
    private static NDList batch(NDManager m, Random random) {
        int[] patterns = {0, 1, 5, 7};
        String[] names = {"stripes", "columns", "a square", "a frame"};
        String[] captions = new String[BATCH];
        float[] pixels = new float[BATCH * 3 * SIZE * SIZE];
        for (int k = 0; k < BATCH; k++) {
            captions[k] = names[k % 4];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        float v = ClipRecipeTest.pattern(patterns[k % 4], y, x) ? 1f : -1f;
                        pixels[((k * 3 + c) * SIZE + y) * SIZE + x] = v + 0.3f * (float) random.nextGaussian();
                    }
                }
            }
        }
        return ClipRecipeTest.namedBatch(m, pixels, SIZE, captions, CONTEXT);
    }
}
