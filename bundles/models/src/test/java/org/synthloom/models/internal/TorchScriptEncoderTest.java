package org.synthloom.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

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

/**
 * The {@code torchscript} image encoder on a module that Debian's PyTorch traces and saves for the
 * test ({@code torchscript_encoder.py}): the same output as PyTorch, clear errors, fine-tuning
 * inside the CLIP recipe with checkpoints that restore the fine-tuned weights, and freezing.
 */
class TorchScriptEncoderTest {

    /** The DJL runtime as a plugin gets it, over the engine on the test class path. */
    static final ClasspathDevices DEVICES = new ClasspathDevices();

    private static final int DIM = 16;
    private static final DataSpec SPEC = DataSpec.builder().images(16, 3).text(259, 24).build();
    private static final Shape[] CLIP_SHAPES = {new Shape(8, 3, 16, 16), new Shape(8, 24), new Shape(8, 24)};

    @TempDir
    static Path dir;

    private NDManager manager;

    @BeforeAll
    static void module() throws Exception {
        PythonTorch.generate("image", dir);
    }

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

    private static TorchScriptEncoder encoder(Path home, Map<String, Object> config) {
        Map<String, Object> properties = new HashMap<>(Map.of("path", "encoder.pt", "output.dim", DIM));
        properties.putAll(config);
        return new TorchScriptEncoder(home, Configs.of(TorchScriptConfig.class, properties), DEVICES);
    }

    @Test
    void theBlockComputesWhatPyTorchComputed() throws Exception {
        JsonObject reference = JsonParser.parseString(Files.readString(dir.resolve("reference.json"))).getAsJsonObject();
        JsonObject input = reference.getAsJsonArray("inputs").get(0).getAsJsonObject();
        JsonObject output = reference.getAsJsonObject("output");
        // A relative path is taken below the home.
        TorchScriptEncoder encoder = encoder(dir, Map.of());
        assertEquals(ImageSpace.PIXELS, encoder.inputSpace());
        assertEquals(DIM, encoder.outputDim());
        Block block = encoder.newBlock(SPEC);
        Shape shape = shape(input.getAsJsonArray("shape"));
        block.initialize(manager, DataType.FLOAT32, shape);
        assertArrayEquals(new Shape[] {new Shape(shape.get(0), DIM)}, block.getOutputShapes(new Shape[] {shape}));
        float[] expected = floats(output.getAsJsonArray("values"));
        try (NDManager step = manager.newSubManager()) {
            NDArray images = step.create(floats(input.getAsJsonArray("values")), shape);
            for (boolean training : new boolean[] {false, true}) {
                NDArray features = block.forward(new ParameterStore(step, false), new NDList(images), training)
                        .singletonOrThrow();
                assertEquals(new Shape(2, DIM), features.getShape());
                assertArrayEquals(expected, features.toFloatArray(), 1e-5f, "training = " + training);
            }
        }
    }

    @Test
    void eachBlockHasItsOwnParameters() {
        TorchScriptEncoder encoder = encoder(dir, Map.of());
        Block a = encoder.newBlock(SPEC);
        Block b = encoder.newBlock(SPEC);
        Parameter weight = a.getParameters().get("conv1.weight");
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "head.weight", "head.bias"),
                a.getParameters().keys());
        weight.getArray().addi(1f);
        float[] changed = weight.getArray().toFloatArray();
        float[] other = b.getParameters().get("conv1.weight").getArray().toFloatArray();
        assertEquals(changed[0] - 1f, other[0], 1e-6f);
        ((TorchScriptBlock) a).close();
        ((TorchScriptBlock) b).close();
    }

    @Test
    void aWrongOutputDimIsReportedWhenTheBlockIsInitialised() {
        Block block = encoder(dir, Map.of("output.dim", 15)).newBlock(SPEC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.initialize(manager, DataType.FLOAT32, new Shape(4, 3, 16, 16)));
        assertTrue(e.getMessage().startsWith(TorchScriptEncoder.PID + ": output.dim = 15"), e.getMessage());
        assertTrue(e.getMessage().contains("(1, 16)"), e.getMessage());
    }

    @Test
    void aMissingOrCorruptFileIsReportedWhenTheBlockIsMade() throws Exception {
        // Activation does not read the file: the component can be configured before the file exists.
        TorchScriptEncoder missing = encoder(dir, Map.of("path", "no/such/encoder.pt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> missing.newBlock(SPEC));
        assertTrue(e.getMessage().startsWith(TorchScriptEncoder.PID + ": path = "), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("no/such/encoder.pt").toString()), e.getMessage());

        Path corrupt = dir.resolve("corrupt.pt");
        Files.writeString(corrupt, "this is not a TorchScript archive");
        TorchScriptEncoder broken = encoder(dir, Map.of("path", corrupt.toString()));
        e = assertThrows(IllegalArgumentException.class, () -> broken.newBlock(SPEC));
        assertTrue(e.getMessage().startsWith(TorchScriptEncoder.PID + ": path = " + corrupt + " is not a TorchScript"),
                e.getMessage());
    }

    @Test
    void invalidConfigurationsNameThePidAndTheProperty() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("path", " "), Map.of("output.dim", 0),
                Map.of("input.space", "tokens"), Map.of("input.space", "voxels"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder(dir, bad), bad.toString());
            String property = bad.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(TorchScriptEncoder.PID + ": " + property), e.getMessage());
        }
    }

    @Test
    void theManagerThatInitialisedTheBlockClosesIt() {
        Block block = encoder(dir, Map.of()).newBlock(SPEC);
        NDManager model = manager.newSubManager();
        block.initialize(model, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        model.close();
        try (NDManager step = manager.newSubManager()) {
            NDList images = new NDList(step.zeros(new Shape(1, 3, 16, 16)));
            assertThrows(IllegalStateException.class, () -> block.forward(new ParameterStore(step, false), images, false));
        }
    }

    /**
     * A tiny CLIP over the fine-tuned module: 25 AdamW steps change every module parameter and the
     * loss falls by a fifth; the checkpoint (saveParameters) loaded into a fresh model, whose module
     * starts from the file's weights, gives exactly the trained model's outputs.
     */
    @Test
    void fineTuningChangesTheModuleAndCheckpointsRestoreIt() throws Exception {
        ClipRecipe recipe = clip(Map.of());
        try (Model model = Model.newInstance("torchscript-clip", Device.cpu(), "PyTorch")) {
            Block block = recipe.newModel(SPEC);
            model.setBlock(block);
            Map<String, float[]> before = moduleValues(block);
            double[] losses = train(model, block, 25);
            Map<String, float[]> after = moduleValues(block);
            for (String name : before.keySet()) {
                assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " was not fine-tuned");
            }
            assertTrue(losses[1] < 0.8 * losses[0], "loss " + losses[0] + " -> " + losses[1]);

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                block.saveParameters(out);
            }
            Block fresh = recipe.newModel(SPEC);
            fresh.initialize(model.getNDManager(), DataType.FLOAT32, CLIP_SHAPES);
            try (NDManager step = model.getNDManager().newSubManager()) {
                NDList batch = ClipRecipeTest.toyBatch(step);
                float[] trained = embeds(block, step, batch);
                assertFalse(Arrays.equals(trained, embeds(fresh, step, batch)), "the fresh model is untrained");
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    fresh.loadParameters(model.getNDManager(), in);
                }
                assertArrayEquals(trained, embeds(fresh, step, batch), 0f);
                Map<String, float[]> loaded = moduleValues(fresh);
                for (String name : after.keySet()) {
                    assertArrayEquals(after.get(name), loaded.get(name), 0f, name);
                }
            }
        }
    }

    /** Frozen: 25 steps leave every module parameter bit-identical while the rest of the model learns. */
    @Test
    void aFrozenModuleIsNotTrainedWhileTheRestLearns() {
        ClipRecipe recipe = clip(Map.of("trainable", false));
        try (Model model = Model.newInstance("torchscript-clip-frozen", Device.cpu(), "PyTorch")) {
            Block block = recipe.newModel(SPEC);
            model.setBlock(block);
            Map<String, float[]> before = moduleValues(block);
            // Initialised before the trainer, as the pipeline does, to read the projection's start.
            block.initialize(model.getNDManager(), DataType.FLOAT32, CLIP_SHAPES);
            float[] projectionBefore = projection(block);
            double[] losses = train(model, block, 25);
            Map<String, float[]> after = moduleValues(block);
            for (String name : before.keySet()) {
                assertArrayEquals(bits(before.get(name)), bits(after.get(name)), name + " changed");
            }
            assertFalse(Arrays.equals(projectionBefore,
                    projection(block)));
            assertTrue(losses[1] < 0.8 * losses[0], "loss " + losses[0] + " -> " + losses[1]);
        }
    }

    private static ClipRecipe clip(Map<String, Object> image) {
        return new ClipRecipe(encoder(dir, image),
                new CnnTextEncoder(Configs.of(CnnTextConfig.class, Map.of("embedding.dim", 16, "conv.width", 16, "width", 16))),
                Configs.of(ClipConfig.class, Map.of("embed_dim", 16)));
    }

    /** {@code steps} AdamW steps of InfoNCE on the 8 toy pairs; returns the first and last loss. */
    static double[] train(Model model, Block block, int steps) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optDevices(new Device[] {Device.cpu()})
                .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(3e-3f)).optWeightDecays(0.01f).build());
        double first = Double.NaN;
        double last = Double.NaN;
        long started = System.nanoTime();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(CLIP_SHAPES);
            for (int i = 0; i < steps; i++) {
                try (NDManager step = model.getNDManager().newSubManager();
                        GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray loss = ClipRecipeTest.infoNce(trainer.forward(ClipRecipeTest.toyBatch(step)));
                    collector.backward(loss);
                    last = loss.getFloat();
                    first = i == 0 ? last : first;
                }
                trainer.step();
            }
        }
        System.out.printf(Locale.ROOT, "torchscript CLIP: loss %.4f -> %.4f in %d steps, %.1f s%n", first, last, steps,
                (System.nanoTime() - started) / 1e9);
        return new double[] {first, last};
    }

    /** The values of the TorchScript module's parameters, by name. */
    static Map<String, float[]> moduleValues(Block clip) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Block module = clip.getChildren().values().stream().filter(TorchScriptBlock.class::isInstance).findFirst()
                .orElseThrow();
        module.getParameters().forEach(p -> values.put(p.getKey(), p.getValue().getArray().toFloatArray()));
        assertFalse(values.isEmpty());
        return values;
    }

    /** The image projection's weights, which train whether the module is frozen or not. */
    private static float[] projection(Block clip) {
        return clip.getParameters().stream().filter(p -> p.getKey().endsWith("image_projection_weight")).findFirst()
                .orElseThrow().getValue().getArray().toFloatArray();
    }

    private static float[] embeds(Block clip, NDManager step, NDList batch) {
        NDList out = clip.forward(new ParameterStore(step, false), batch, false);
        return out.get(Fields.IMAGE_EMBEDS).toFloatArray();
    }

    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    static Shape shape(JsonArray dims) {
        List<Long> sizes = new ArrayList<>();
        dims.forEach(d -> sizes.add(d.getAsLong()));
        return new Shape(sizes.stream().mapToLong(Long::longValue).toArray());
    }

    static float[] floats(JsonArray values) {
        float[] floats = new float[values.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = values.get(i).getAsFloat();
        }
        return floats;
    }
}
