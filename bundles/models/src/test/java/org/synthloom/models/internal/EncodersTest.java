package org.synthloom.models.internal;

import org.synthloom.testkit.Configs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.DataSpec;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** The encoder blocks on the real PyTorch engine. */
class EncodersTest {

    private static final DataSpec SPEC = DataSpec.builder().images(32, 3).text(259, 16).build();

    private NDManager manager;

    @BeforeEach
    void engine() {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(7);
        manager = engine.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void theImageEncoderMapsAnyImageSizeFrom16UpToFeatures() {
        CnnImageEncoder encoder = new CnnImageEncoder(Configs.of(CnnImageConfig.class, Map.of()));
        assertEquals(ImageSpace.PIXELS, encoder.inputSpace());
        assertEquals(128, encoder.outputDim());
        for (Shape images : new Shape[] {new Shape(2, 3, 16, 16), new Shape(3, 3, 64, 64), new Shape(2, 1, 20, 33)}) {
            Block block = encoder.newBlock(SPEC);
            block.initialize(manager, DataType.FLOAT32, images);
            assertEquals(new Shape(images.get(0), 128), block.getOutputShapes(new Shape[] {images})[0]);
            try (NDManager step = manager.newSubManager()) {
                NDArray out = block.forward(new ParameterStore(step, false),
                        new NDList(step.randomNormal(images)), false).singletonOrThrow();
                assertEquals(new Shape(images.get(0), 128), out.getShape(), images.toString());
            }
        }
    }

    @Test
    void theImageEncoderHonoursItsConfiguration() {
        CnnImageEncoder encoder = new CnnImageEncoder(
                Configs.of(CnnImageConfig.class, Map.of("widths", new int[] {8, 16}, "width", 24)));
        Block block = encoder.newBlock(SPEC);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        assertEquals(new Shape(1, 24), block.getOutputShapes(new Shape[] {new Shape(1, 3, 16, 16)})[0]);
        // conv weights of 8 and 16 filters, BatchNorm of 8 and 16 channels
        assertEquals(new Shape(8, 3, 3, 3), block.getParameters().get("01Conv2d_weight").getArray().getShape());
        assertThrows(IllegalArgumentException.class,
                () -> new CnnImageEncoder(Configs.of(CnnImageConfig.class, Map.of("widths", new int[0]))));
        assertThrows(IllegalArgumentException.class,
                () -> new CnnImageEncoder(Configs.of(CnnImageConfig.class, Map.of("width", 0))));
    }

    @Test
    void theTextEncoderIgnoresPaddingWhateverItsIdsAndLength() {
        CnnTextEncoder encoder = new CnnTextEncoder(Configs.of(CnnTextConfig.class, Map.of()));
        assertEquals(128, encoder.outputDim());
        Block block = encoder.newBlock(SPEC);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 16), new Shape(2, 16));
        assertEquals(new Shape(2, 128), block.getOutputShapes(new Shape[] {new Shape(2, 16), new Shape(2, 16)})[0]);
        int[] caption = new ByteTokenizer().encode("a red circle");
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            float[] padded16 = encode(step, block, store, caption, 16, 0, DataType.INT64);
            // Other pad ids, a longer context and int32 ids: the features must not change.
            float[] junk16 = encode(step, block, store, caption, 16, 200, DataType.INT64);
            float[] padded24 = encode(step, block, store, caption, 24, 0, DataType.INT32);
            assertArrayEquals(padded16, junk16, 1e-5f);
            assertArrayEquals(padded16, padded24, 1e-5f);
            float[] other = encode(step, block, store, new ByteTokenizer().encode("a blue square"), 16, 0, DataType.INT64);
            assertEquals(false, java.util.Arrays.equals(padded16, other), "different captions, different features");
        }
        assertThrows(IllegalArgumentException.class, () -> encoder.newBlock(DataSpec.builder().images(32, 3).build()));
    }

    /** Encodes one caption padded to {@code context} with {@code padId}; returns its features. */
    private static float[] encode(NDManager m, Block block, ParameterStore store, int[] caption, int context, int padId,
            DataType type) {
        int[] ids = new int[context];
        int[] mask = new int[context];
        for (int t = 0; t < context; t++) {
            ids[t] = t < caption.length ? caption[t] : padId;
            mask[t] = t < caption.length ? 1 : 0;
        }
        NDArray tokens = m.create(ids, new Shape(1, context)).toType(type, false);
        NDArray maskArray = m.create(mask, new Shape(1, context));
        NDArray out = block.forward(store, new NDList(tokens, maskArray), false).singletonOrThrow();
        assertEquals(new Shape(1, 128), out.getShape());
        return out.toFloatArray();
    }
}
