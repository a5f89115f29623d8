package org.synthloom.models.internal;

import org.synthloom.api.train.Scalars;
import org.synthloom.testkit.Configs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;

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

/** The CLIP recipe with the cnn and cnn-text encoders, on the real PyTorch engine. */
class ClipRecipeTest {

    private static final int SIZE = 16;
    private static final int CONTEXT = 24;
    private static final DataSpec SPEC = DataSpec.builder().images(SIZE, 3).text(259, CONTEXT).build();
    private static final Shape[] SHAPES = {new Shape(8, 3, SIZE, SIZE), new Shape(8, CONTEXT), new Shape(8, CONTEXT)};
    private static final String[] CAPTIONS = {"horizontal stripes", "vertical stripes", "a checkerboard",
        "left half lit", "top half lit", "a centred square", "a diagonal", "a frame"};

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

    private static ClipRecipe recipe(Map<String, Object> config) {
        return new ClipRecipe(new CnnImageEncoder(Configs.of(CnnImageConfig.class, Map.of())),
                new CnnTextEncoder(Configs.of(CnnTextConfig.class, Map.of())),
                Configs.of(ClipConfig.class, config));
    }

    @Test
    void inputsAndOutputsAreTheDocumentedFields() {
        ClipRecipe recipe = recipe(Map.of());
        assertEquals(List.of(Fields.IMAGES, Fields.TEXT_TOKENS, Fields.TEXT_MASK), recipe.inputs());
        assertEquals(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE), List.copyOf(recipe.outputs()));
        assertThrows(IllegalArgumentException.class, () -> recipe(Map.of("logit_scale_init", 5f)), "exp(5) > 100");
        assertThrows(IllegalArgumentException.class, () -> recipe(Map.of("embed_dim", 0)));
    }

    @Test
    void outputsAreNamedUnitEmbeddingsAndTheInitialTemperature() {
        Block block = recipe(Map.of("embed_dim", 32)).newModel(SPEC);
        block.initialize(manager, DataType.FLOAT32, SHAPES);
        Shape[] expected = {new Shape(8, 32), new Shape(8, 32), new Shape()};
        assertArrayEquals(expected, block.getOutputShapes(SHAPES));
        assertTrue(block.getParameters().keys().contains(Fields.LOGIT_SCALE), block.getParameters().keys().toString());
        try (NDManager step = manager.newSubManager()) {
            NDList out = block.forward(new ParameterStore(step, false), toyBatch(step), false);
            assertEquals(3, out.size());
            for (String name : List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS)) {
                NDArray embeds = out.get(name);
                assertEquals(new Shape(8, 32), embeds.getShape(), name);
                assertEquals(DataType.FLOAT32, embeds.getDataType());
                for (float norm : embeds.norm(new int[] {1}).toFloatArray()) {
                    assertEquals(1f, norm, 1e-5f, name);
                }
            }
            NDArray scale = out.get(Fields.LOGIT_SCALE);
            assertEquals(new Shape(), scale.getShape());
            assertEquals(1 / 0.07f, scale.getFloat(), 1e-3f);
        }
    }

    @Test
    void oneSideRunsAloneWhenOnlyItsNamedFieldsArePresent() {
        Block block = recipe(Map.of()).newModel(SPEC);
        block.initialize(manager, DataType.FLOAT32, SHAPES);
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDList full = toyBatch(step);
            NDList both = block.forward(store, full, false);
            NDList text = block.forward(store, new NDList(full.get(Fields.TEXT_TOKENS), full.get(Fields.TEXT_MASK)), false);
            NDList images = block.forward(store, new NDList(full.get(Fields.IMAGES)), false);
            assertNull(text.get(Fields.IMAGE_EMBEDS));
            assertNull(images.get(Fields.TEXT_EMBEDS));
            assertArrayEquals(both.get(Fields.TEXT_EMBEDS).toFloatArray(), text.get(Fields.TEXT_EMBEDS).toFloatArray(), 1e-6f);
            assertArrayEquals(both.get(Fields.IMAGE_EMBEDS).toFloatArray(), images.get(Fields.IMAGE_EMBEDS).toFloatArray(), 1e-6f);
            NDArray tokensWithoutMask = full.get(Fields.TEXT_TOKENS);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> block.forward(store, new NDList(tokensWithoutMask), false));
            assertTrue(e.getMessage().contains(Fields.TEXT_MASK), e.getMessage());
        }
    }

    @Test
    void savedParametersLoadIntoAFreshBlockAndGiveIdenticalOutputs() throws Exception {
        for (ClipRecipe recipe : List.of(recipe(Map.of()), transformerRecipe())) {
            roundTrip(recipe);
        }
    }

    private void roundTrip(ClipRecipe recipe) throws Exception {
        Block trained = recipe.newModel(SPEC);
        trained.initialize(manager, DataType.FLOAT32, SHAPES);
        // Move the temperature and BatchNorm statistics off their initial values first.
        trained.getParameters().get(Fields.LOGIT_SCALE).getArray().subi(0.5f);
        try (NDManager step = manager.newSubManager()) {
            trained.forward(new ParameterStore(step, false), toyBatch(step), true);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            trained.saveParameters(out);
        }
        Block loaded = recipe.newModel(SPEC);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            loaded.loadParameters(manager, in);
        }
        assertEquals(trained.getParameters().keys(), loaded.getParameters().keys());
        try (NDManager step = manager.newSubManager()) {
            NDList batch = toyBatch(step);
            NDList a = trained.forward(new ParameterStore(step, false), batch, false);
            NDList b = loaded.forward(new ParameterStore(step, false), batch, false);
            for (String name : List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE)) {
                assertArrayEquals(a.get(name).toFloatArray(), b.get(name).toFloatArray(), 0f, name);
            }
            assertEquals((float) Math.exp(Math.log(1 / 0.07) - 0.5), b.get(Fields.LOGIT_SCALE).getFloat(), 1e-3f);
        }
    }

    /**
     * 8 image patterns paired with 8 captions: 150 Adam steps of the symmetric InfoNCE loss take
     * image-to-text top-1 accuracy on the pairs from chance to at least 0.75, and train the
     * temperature too (the trainer sees every parameter).
     */
    @Test
    void itLearnsToMatchEightPatternsWithTheirCaptions() {
        learns("cnn + cnn-text", recipe(Map.of()).newModel(SPEC), 150, 2e-3f);
    }

    /**
     * The same task with a small ViT (patch 8: 4 patches + class token) and a causal transformer
     * text encoder with last-token pooling: the loss halves and accuracy reaches 0.75 or more.
     */
    @Test
    void itLearnsWithTheTransformerEncoders() {
        learns("vit + transformer-text", transformerRecipe().newModel(SPEC), 150, 2e-3f);
    }

    static ClipRecipe transformerRecipe() {
        return new ClipRecipe(
                new VitEncoder(Configs.of(VitConfig.class, Map.of("patch", 8, "width", 32, "depth", 2, "heads", 2))),
                new TransformerTextEncoder(Configs.of(TransformerTextConfig.class,
                        Map.of("width", 32, "depth", 2, "heads", 2))),
                Configs.of(ClipConfig.class, Map.of("embed_dim", 32)));
    }

    private void learns(String label, Block block, int steps, float learningRate) {
        try (Model model = Model.newInstance("clip-test", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            // The trainer's own loss is not used: the test computes InfoNCE from the named outputs.
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optDevices(new Device[] {Device.cpu()})
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(SHAPES);
                Parameter scale = block.getParameters().get(Fields.LOGIT_SCALE);
                float scaleBefore = scale.getArray().getFloat();
                double before = accuracy(block);
                double firstLoss = 0;
                double lastLoss = 0;
                long started = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    try (NDManager step = model.getNDManager().newSubManager();
                            GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss = infoNce(trainer.forward(toyBatch(step)));
                        collector.backward(loss);
                        lastLoss = loss.getFloat();
                        firstLoss = i == 0 ? lastLoss : firstLoss;
                    }
                    trainer.step();
                }
                double after = accuracy(block);
                System.out.printf(Locale.ROOT, "CLIP toy task, %s: accuracy %.3f -> %.3f, loss %.3f -> %.3f, %.1f s%n",
                        label, before, after, firstLoss, lastLoss, (System.nanoTime() - started) / 1e9);
                assertTrue(after >= 0.75, label + ": image->text top-1 accuracy " + before + " -> " + after);
                assertTrue(lastLoss < firstLoss / 2, label + ": loss " + firstLoss + " -> " + lastLoss);
                assertNotEquals(scaleBefore, scale.getArray().getFloat(), "the temperature is trained");
            }
        }
    }

    /** Image-to-text top-1 accuracy on the 8 pairs, in inference mode (BatchNorm running stats). */
    private double accuracy(Block block) {
        try (NDManager step = manager.newSubManager()) {
            NDList out = block.forward(new ParameterStore(step, false), toyBatch(step), false);
            NDArray similarity = out.get(Fields.IMAGE_EMBEDS).matMul(out.get(Fields.TEXT_EMBEDS).transpose());
            long[] best = similarity.argMax(1).toLongArray();
            int hits = 0;
            for (int i = 0; i < best.length; i++) {
                hits += best[i] == i ? 1 : 0;
            }
            return hits / (double) best.length;
        }
    }

    /** CLIP's symmetric cross-entropy over the in-batch similarities; the pairs are on the diagonal. */
    static NDArray infoNce(NDList out) {
        NDArray logits = out.get(Fields.IMAGE_EMBEDS).matMul(out.get(Fields.TEXT_EMBEDS).transpose())
                .mul(out.get(Fields.LOGIT_SCALE));
        long n = logits.getShape().get(0);
        NDArray diagonal = logits.getManager().eye((int) n);
        NDArray imageToText = logits.logSoftmax(1).mul(diagonal).sum();
        NDArray textToImage = logits.logSoftmax(0).mul(diagonal).sum();
        // A scalar libtorch owns: autograd keeps the divisor for the backward pass (see Tensors).
        return imageToText.add(textToImage).div(Scalars.like(logits, -2f * n));
    }

    /** The 8 patterns (grey, values -1 and 1) with their padded captions, as named batch fields. */
    static NDList toyBatch(NDManager m) {
        int n = CAPTIONS.length;
        float[] pixels = new float[n * 3 * SIZE * SIZE];
        for (int k = 0; k < n; k++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    float v = pattern(k, y, x) ? 1f : -1f;
                    for (int c = 0; c < 3; c++) {
                        pixels[((k * 3 + c) * SIZE + y) * SIZE + x] = v;
                    }
                }
            }
        }
        return namedBatch(m, pixels, SIZE, CAPTIONS, CONTEXT);
    }

    /**
     * Images {@code (n, 3, size, size)} and captions as byte tokens, padded or cut to
     * {@code context}, with their mask: the named fields of the recipe's inputs.
     */
    static NDList namedBatch(NDManager m, float[] pixels, int size, String[] captions, int context) {
        int n = captions.length;
        int[] tokens = new int[n * context];
        int[] mask = new int[n * context];
        ByteTokenizer tokenizer = new ByteTokenizer();
        for (int k = 0; k < n; k++) {
            int[] ids = tokenizer.encode(captions[k]);
            for (int t = 0; t < Math.min(ids.length, context); t++) {
                tokens[k * context + t] = ids[t];
                mask[k * context + t] = 1;
            }
        }
        NDArray images = m.create(pixels, new Shape(n, 3, size, size));
        images.setName(Fields.IMAGES);
        NDArray tokenArray = m.create(tokens, new Shape(n, context));
        tokenArray.setName(Fields.TEXT_TOKENS);
        NDArray maskArray = m.create(mask, new Shape(n, context));
        maskArray.setName(Fields.TEXT_MASK);
        return new NDList(images, tokenArray, maskArray);
    }

    /** Pattern {@code k} of the 8 (16x16): whether pixel (y, x) is lit. */
    static boolean pattern(int k, int y, int x) {
        return switch (k) {
            case 0 -> y / 4 % 2 == 0;
            case 1 -> x / 4 % 2 == 0;
            case 2 -> (x / 4 + y / 4) % 2 == 0;
            case 3 -> x < SIZE / 2;
            case 4 -> y < SIZE / 2;
            case 5 -> Math.abs(x - SIZE / 2) < SIZE / 4 && Math.abs(y - SIZE / 2) < SIZE / 4;
            case 6 -> Math.abs(x - y) < 3;
            default -> x < 3 || y < 3 || x >= SIZE - 3 || y >= SIZE - 3;
        };
    }
}
