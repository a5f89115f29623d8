package org.synthloom.vqgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.djl.GradientScope;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.TestFitContext;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/** The model's shapes and gradients, and the fitted tokenizer's encode and decode, on an untrained model. */
class VqGanBlockTest {

    /** 16x16 images, 4x4 grids of 8 codes of width 4, 16 channels. */
    static final Settings TINY = new Settings(16, 4, 8, 4, 0.25, 1, 1, 2, 1e-3, 1, 1);

    private final ClasspathDevices devices = new ClasspathDevices();
    private NDManager manager;

    @BeforeEach
    void engine() {
        Engine.getEngine("PyTorch").setRandomSeed(5);
        manager = devices.newManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void theModelDownsamplesToTheGridAndReconstructsAtFullSize() {
        for (int downsample : new int[] {2, 4, 8}) {
            Settings s = new Settings(16, downsample, 8, 4, 0.25, 1, 1, 2, 1e-3, 1, 1);
            VqGanBlock block = new VqGanBlock(s, true);
            Shape input = new Shape(3, 3, 32, 32);
            block.initialize(manager, DataType.FLOAT32, input);
            int g = 32 / downsample;
            try (NDManager step = manager.newSubManager()) {
                NDList out = block.forward(new ParameterStore(step, false), new NDList(step.randomNormal(input)), false);
                assertEquals(input, out.get(VqGanBlock.RECONSTRUCTION).getShape(), "downsample " + downsample);
                assertEquals(new Shape(), out.get(VqGanBlock.VQ_LOSS).getShape());
                assertEquals(new Shape(3, (long) g * g), out.get(VqGanBlock.CODES).getShape());
                Shape[] declared = block.getOutputShapes(new Shape[] {input});
                assertEquals(out.get(0).getShape(), declared[0]);
                assertEquals(out.get(2).getShape(), declared[2]);
            }
        }
    }

    @Test
    void theReconstructionGradientReachesTheEncoderThroughTheQuantiserButNotTheCodebook() {
        VqGanBlock block = new VqGanBlock(TINY, true);
        Shape input = new Shape(2, 3, 16, 16);
        block.initialize(manager, DataType.FLOAT32, input);
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        try (NDManager step = manager.newSubManager(); GradientScope gradients = devices.newGradientScope()) {
            NDArray x = step.randomNormal(input);
            NDArray reconstruction = block.forward(new ParameterStore(step, false), new NDList(x), true)
                    .get(VqGanBlock.RECONSTRUCTION);
            gradients.backward(reconstruction.sub(x).abs().mean());
        }
        int encoderParameters = 0;
        int codebooks = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            float magnitude = p.getValue().getArray().getGradient().abs().sum().getFloat();
            if (p.getKey().matches("\\d+encoder_.*")) {
                encoderParameters++;
                assertTrue(magnitude > 0, p.getKey() + " got no gradient");
            } else if (p.getKey().matches("\\d+quantizer_.*")) {
                codebooks++;
                assertEquals(0f, magnitude, p.getKey() + ": the codebook learns only from its own term");
            }
        }
        // stem, two strided convolutions, two residual blocks of two, the 1x1: 8 weights and 8 biases
        assertEquals(16, encoderParameters);
        assertEquals(1, codebooks);
    }

    @Test
    void theEnginesTrainingMovesAPresetCodebook(@TempDir Path dir) throws Exception {
        try (TestFitContext context = TestFitContext.builder(dir, TestImages.rectangles(16, 32, 1)).imageSize(16).build()) {
            VqGanBlock autoencoder = new VqGanBlock(TINY, false);
            float[] start = context.manager().randomNormal(new Shape(8, 4)).toFloatArray();
            NDArray preset = context.manager().create(start, new Shape(8, 4));
            VqGanBlock model = (VqGanBlock) context.train("vq", new VqGanRecipe(true,
                    () -> VqGanBlock.continuing(autoencoder, TINY, preset)), List.of(new VqGanObjective(8)),
                    new TrainingOptions(5, 8, 1e-2, 0, 1));
            float[] end = model.quantizer().codebook().getArray().toFloatArray();
            assertTrue(!Arrays.equals(start, end), "the codebook did not move: " + Arrays.toString(end));
        }
    }

    @Test
    void encodeGivesGridsOfTheCodebookAndDecodeGivesImagesOfTheSize() {
        VqGanBlock block = new VqGanBlock(TINY, true);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        FittedVqGan fitted = new FittedVqGan(block, 8, 16, 4, "vqgan@test/0");
        List<ImagePixels> images = randomImages(70, 16, 3); // more than one chunk of 64
        images.set(1, new ImagePixels(16, 16, 1, new byte[256])); // grey is read too
        List<TokenGrid> grids = fitted.encode(images, manager);
        assertEquals(70, grids.size());
        for (TokenGrid g : grids) {
            assertEquals(4, g.rows());
            assertEquals(4, g.columns());
            assertEquals("vqgan@test/0", g.codebook());
            assertEquals(8, g.codebookSize());
            for (int id : g.ids()) {
                assertTrue(id >= 0 && id < 8, "token " + id);
            }
        }
        // encoding is a function of the image: the same image, the same grid, also alone
        assertArrayEquals(grids.get(5).ids(), fitted.encode(List.of(images.get(5)), manager).get(0).ids());
        List<ImagePixels> decoded = fitted.decode(grids, manager);
        assertEquals(70, decoded.size());
        for (ImagePixels p : decoded) {
            assertEquals(16, p.width());
            assertEquals(16, p.height());
            assertEquals(3, p.channels());
        }
        assertEquals(4, fitted.gridSize(16));
    }

    @Test
    void theFittedTokenizerRefusesOtherSizesAndOtherCodebooks() {
        VqGanBlock block = new VqGanBlock(TINY, true);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        FittedVqGan fitted = new FittedVqGan(block, 8, 16, 4, "vqgan@test/0");
        List<ImagePixels> images = randomImages(3, 16, 3);
        images.set(2, randomImages(1, 32, 3).get(0));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> fitted.encode(images, manager));
        assertTrue(size.getMessage().contains("image 2 is 32x32"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fitted.gridSize(32));
        TokenGrid foreign = new TokenGrid(4, 4, new int[16], "palette/1", 8);
        IllegalArgumentException codebook = assertThrows(IllegalArgumentException.class,
                () -> fitted.decode(List.of(fitted.encode(images.subList(0, 1), manager).get(0), foreign), manager));
        assertTrue(codebook.getMessage().contains("grid 1") && codebook.getMessage().contains("palette/1"),
                codebook.getMessage());
        TokenGrid small = new TokenGrid(2, 2, new int[4], "vqgan@test/0", 8);
        IllegalArgumentException grid = assertThrows(IllegalArgumentException.class,
                () -> fitted.decode(List.of(small), manager));
        assertTrue(grid.getMessage().contains("grid 0 is 2x2"), grid.getMessage());
    }

    @Test
    void theUnfittedServiceSaysItMustBeFitted() {
        VqGan vqgan = new VqGan("test", TINY);
        assertEquals(8, vqgan.codebookSize());
        assertEquals(8, vqgan.gridSize(32));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> vqgan.encode(randomImages(1, 16, 3), manager));
        assertTrue(e.getMessage().contains("fitted"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> vqgan.decode(List.of(), manager));
    }

    static List<ImagePixels> randomImages(int count, int size, long seed) {
        Random random = new Random(seed);
        List<ImagePixels> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[size * size * 3];
            random.nextBytes(data);
            out.add(new ImagePixels(size, size, 3, data));
        }
        return out;
    }
}
