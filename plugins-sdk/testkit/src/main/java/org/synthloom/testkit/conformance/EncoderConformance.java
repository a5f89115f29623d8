package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.DataSpec;
import org.synthloom.djl.GradientScope;
import org.synthloom.testkit.ClasspathDevices;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * The contract shared by {@link org.synthloom.api.model.ImageEncoder} and
 * {@link org.synthloom.api.model.TextEncoder} factories: each {@code newBlock} call gives a fresh
 * block with its own parameters; its output is {@code (B, outputDim())} features or
 * {@code (B, N, outputDim())} sequences, finite, of the shape {@code getOutputShapes} announces;
 * in inference mode a sample's features do not depend on the other samples of its batch; and a
 * training step's gradient reaches the parameters. Extend {@link ImageEncoderConformance} or
 * {@link TextEncoderConformance}.
 */
public abstract class EncoderConformance {

    private final ClasspathDevices devices = new ClasspathDevices();
    private final NDManager manager = devices.newManager(devices.defaultDevice());

    /** Only the two suites of this package extend it. */
    EncoderConformance() {}

    /**
     * @return the data shapes the block is built for; by default 16x16 RGB images, a 4x4 grid of a
     *     32-code codebook, 64 text tokens in a context of 8
     */
    protected DataSpec spec() {
        return DataSpec.builder().images(16, 3).tokens(4, 32).text(64, 8).build();
    }

    /** @return the batch size of the test inputs; 3 by default */
    protected int batchSize() {
        return 3;
    }

    /** @return the declared feature width ({@code outputDim()}) */
    protected abstract int declaredWidth() throws Exception;

    /**
     * @param spec the data shapes
     * @return a fresh block from the factory under test
     */
    protected abstract Block newBlock(DataSpec spec) throws Exception;

    /**
     * @param m where to allocate
     * @param spec the data shapes
     * @param batch the batch size
     * @return the block's inputs for a batch
     */
    protected abstract NDList inputs(NDManager m, DataSpec spec, int batch);

    /** Closes the tensors of the test. */
    @AfterEach
    public void closeManager() {
        manager.close();
    }

    private Block initialised(NDList inputs) throws Exception {
        Block block = newBlock(spec());
        manager.getEngine().setRandomSeed(5);
        block.initialize(manager, DataType.FLOAT32, inputs.getShapes());
        return block;
    }

    private NDArray forward(Block block, NDManager m, NDList inputs, boolean training) {
        NDList out = block.forward(new ParameterStore(m, false), inputs, training);
        assertEquals(1, out.size(), "an encoder block returns one array, got " + out.size());
        return out.head();
    }

    /** The output is {@code (B, D)} or {@code (B, N, D)} with {@code D = outputDim()}, finite, as announced. */
    @Test
    public void theOutputHasTheDeclaredWidthAndIsFinite() throws Exception {
        int width = declaredWidth();
        assertTrue(width > 0, "outputDim() must be positive: " + width);
        try (NDManager step = manager.newSubManager()) {
            NDList in = inputs(step, spec(), batchSize());
            Block block = initialised(in);
            NDArray out = forward(block, step, in, false);
            Shape shape = out.getShape();
            assertTrue(shape.dimension() == 2 || shape.dimension() == 3, "output must be (B, D) or (B, N, D), is " + shape);
            assertEquals(batchSize(), shape.get(0), "batch dimension of " + shape);
            assertEquals(width, shape.get(shape.dimension() - 1), "feature width of " + shape + " against outputDim()");
            for (float v : out.toType(DataType.FLOAT32, false).toFloatArray()) {
                assertTrue(Float.isFinite(v), "output is not finite");
            }
            assertEquals(shape, block.getOutputShapes(in.getShapes())[0], "getOutputShapes disagrees with forward");
        }
    }

    /** Each {@code newBlock} is a new block with parameters of its own. */
    @Test
    public void everyBlockHasItsOwnParameters() throws Exception {
        try (NDManager step = manager.newSubManager()) {
            NDList in = inputs(step, spec(), batchSize());
            Block a = initialised(in);
            Block b = initialised(in);
            assertNotSame(a, b, "newBlock returned the same block twice");
            assertTrue(!a.getParameters().isEmpty(), "the block has no parameters to learn");
            for (int i = 0; i < a.getParameters().size(); i++) {
                assertNotSame(a.getParameters().get(i).getValue().getArray(), b.getParameters().get(i).getValue().getArray(),
                        "parameter " + a.getParameters().get(i).getKey() + " is shared between two blocks");
            }
        }
    }

    /** In inference mode a sample's output does not depend on the rest of its batch. */
    @Test
    public void inferenceTreatsSamplesIndependently() throws Exception {
        try (NDManager step = manager.newSubManager()) {
            NDList in = inputs(step, spec(), batchSize());
            Block block = initialised(in);
            NDArray all = forward(block, step, in, false);
            NDList first = new NDList();
            in.forEach(x -> first.add(x.get("0:1")));
            NDArray alone = forward(block, step, first, false);
            assertArrayEquals(alone.toType(DataType.FLOAT32, false).toFloatArray(),
                    all.get("0:1").toType(DataType.FLOAT32, false).toFloatArray(), 1e-4f,
                    "sample 0 encoded alone and within its batch differ");
        }
    }

    /** A training forward and backward gives finite gradients, not all zero, to the parameters. */
    @Test
    public void trainingGradientsReachTheParameters() throws Exception {
        try (NDManager step = manager.newSubManager()) {
            NDList in = inputs(step, spec(), batchSize());
            Block block = initialised(in);
            List<String> reached = new ArrayList<>();
            try (GradientScope scope = devices.newGradientScope()) {
                NDArray out = forward(block, step, in, true);
                scope.backward(out.toType(DataType.FLOAT32, false).square().mean());
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray value = p.getValue().getArray();
                if (!value.hasGradient()) {
                    continue;
                }
                float[] g = value.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
                for (float v : g) {
                    assertTrue(Float.isFinite(v), "gradient of " + p.getKey() + " is not finite");
                    if (v != 0f) {
                        reached.add(p.getKey());
                        break;
                    }
                }
            }
            assertTrue(!reached.isEmpty(), "no parameter received a gradient");
        }
    }
}
