package org.synthloom.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.model.DataSpec;
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
import ai.djl.training.ParameterStore;

/**
 * The {@code torchscript-text} encoder on a module traced by Debian's PyTorch for the test
 * ({@code torchscript_encoder.py text}: embedding, tanh layer, mean over the real tokens, linear).
 */
class TorchScriptTextEncoderTest {

    private static final int DIM = 16;
    private static final DataSpec SPEC = DataSpec.builder().images(16, 3).text(259, 24).build();

    @TempDir
    static Path dir;

    private NDManager manager;

    @BeforeAll
    static void module() throws Exception {
        PythonTorch.generate("text", dir);
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

    private static TorchScriptTextEncoder encoder(Map<String, Object> config) {
        Map<String, Object> properties = new HashMap<>(Map.of("path", "encoder.pt", "output.dim", DIM));
        properties.putAll(config);
        return new TorchScriptTextEncoder(dir, Configs.of(TorchScriptTextConfig.class, properties), TorchScriptEncoderTest.DEVICES);
    }

    /** Tokens and mask as int64 (the module's types) or int32 (converted by the block) give PyTorch's output. */
    @Test
    void theBlockComputesWhatPyTorchComputed() throws Exception {
        JsonObject reference = JsonParser.parseString(Files.readString(dir.resolve("reference.json"))).getAsJsonObject();
        JsonArray inputs = reference.getAsJsonArray("inputs");
        Shape shape = TorchScriptEncoderTest.shape(inputs.get(0).getAsJsonObject().getAsJsonArray("shape"));
        long[] tokens = longs(inputs.get(0).getAsJsonObject().getAsJsonArray("values"));
        long[] mask = longs(inputs.get(1).getAsJsonObject().getAsJsonArray("values"));
        float[] expected = TorchScriptEncoderTest.floats(reference.getAsJsonObject("output").getAsJsonArray("values"));
        Block block = encoder(Map.of()).newBlock(SPEC);
        block.initialize(manager, DataType.FLOAT32, shape, shape);
        try (NDManager step = manager.newSubManager()) {
            for (DataType type : new DataType[] {DataType.INT64, DataType.INT32}) {
                NDList batch = new NDList(step.create(tokens, shape).toType(type, false),
                        step.create(mask, shape).toType(type, false));
                for (boolean training : new boolean[] {false, true}) {
                    NDArray features = block.forward(new ParameterStore(step, false), batch, training).singletonOrThrow();
                    assertEquals(new Shape(2, DIM), features.getShape());
                    assertArrayEquals(expected, features.toFloatArray(), 1e-5f, type + ", training = " + training);
                }
            }
        }
    }

    @Test
    void aWrongOutputDimOrAMissingFileIsReported() {
        Block block = encoder(Map.of("output.dim", 32)).newBlock(SPEC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.initialize(manager, DataType.FLOAT32, new Shape(4, 24), new Shape(4, 24)));
        assertTrue(e.getMessage().startsWith(TorchScriptTextEncoder.PID + ": output.dim = 32"), e.getMessage());
        TorchScriptTextEncoder missing = encoder(Map.of("path", "missing.pt"));
        e = assertThrows(IllegalArgumentException.class, () -> missing.newBlock(SPEC));
        assertTrue(e.getMessage().startsWith(TorchScriptTextEncoder.PID + ": path = " + dir.resolve("missing.pt")),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> encoder(Map.of("output.dim", -1)));
        assertTrue(e.getMessage().startsWith(TorchScriptTextEncoder.PID + ": output.dim"), e.getMessage());
    }

    /**
     * In a tiny CLIP (small cnn image tower): fine-tuned, 25 AdamW steps change every parameter of
     * the module and the loss falls by a fifth; frozen, the module stays bit-identical.
     */
    @Test
    void itIsFineTunedOrFrozenInsideClip() {
        for (boolean trainable : new boolean[] {true, false}) {
            ClipRecipe recipe = new ClipRecipe(
                    new CnnImageEncoder(Configs.of(CnnImageConfig.class, Map.of("widths", new int[] {8, 16}, "width", 16))),
                    encoder(Map.of("trainable", trainable)), Configs.of(ClipConfig.class, Map.of("embed_dim", 16)));
            try (Model model = Model.newInstance("torchscript-text-clip", Device.cpu(), "PyTorch")) {
                Block block = recipe.newModel(SPEC);
                model.setBlock(block);
                Map<String, float[]> before = TorchScriptEncoderTest.moduleValues(block);
                double[] losses = TorchScriptEncoderTest.train(model, block, 25);
                Map<String, float[]> after = TorchScriptEncoderTest.moduleValues(block);
                assertEquals(before.keySet(), after.keySet());
                for (String name : before.keySet()) {
                    if (trainable) {
                        assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " was not fine-tuned");
                    } else {
                        assertArrayEquals(TorchScriptEncoderTest.bits(before.get(name)),
                                TorchScriptEncoderTest.bits(after.get(name)), name + " changed while frozen");
                    }
                }
                assertTrue(losses[1] < 0.8 * losses[0], "trainable = " + trainable + ": loss " + losses[0] + " -> " + losses[1]);
            }
        }
    }

    private static long[] longs(JsonArray values) {
        long[] longs = new long[values.size()];
        for (int i = 0; i < longs.length; i++) {
            longs[i] = values.get(i).getAsLong();
        }
        return longs;
    }
}
