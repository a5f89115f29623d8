package org.synthloom.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * The input gradient of each convolution equals finite differences of its output, on the machine
 * that runs the test: the check that caught oneDNN's faulty backward-data path (a 3x3 convolution to
 * 3 channels was off by 100% on an AMD EPYC host). The loss {@code sum(conv(x) * r)} is linear in
 * {@code x}, so a difference over a step of 1 is exact up to float rounding.
 */
class ConvolutionsTest {

    @ParameterizedTest(name = "{0}D, {1} -> {2} channels, kernel {3}, stride {4}")
    @CsvSource({
        "2, 16, 3, 3, 1", // a decoder's last layer: the faulty case
        "2, 32, 20, 3, 1",
        "2, 3, 16, 3, 1",
        "2, 16, 16, 3, 1",
        "2, 16, 20, 5, 1",
        "2, 16, 3, 4, 2",
        "2, 16, 20, 1, 1",
        "1, 16, 20, 3, 1", // a text CNN of odd width
        "1, 16, 64, 3, 1"})
    void inputGradientEqualsFiniteDifferences(int dims, int in, int out, int kernel, int stride) {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block conv = dims == 2 ? Convolutions.conv2d(out, kernel, stride, kernel / 2, true)
                    : Convolutions.conv1d(out, kernel, kernel / 2);
            Shape inputShape = dims == 2 ? new Shape(4, in, 12, 12) : new Shape(4, in, 24);
            conv.initialize(manager, DataType.FLOAT32, inputShape);
            Shape outputShape = conv.getOutputShapes(new Shape[] {inputShape})[0];
            assertEquals(out, outputShape.get(1), "output channels");
            NDArray weights = manager.randomNormal(outputShape);
            ParameterStore store = new ParameterStore(manager, false);

            NDArray x = manager.randomNormal(inputShape);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = conv.forward(store, new NDList(x), true).singletonOrThrow();
                assertEquals(outputShape, y.getShape());
                collector.backward(y.mul(weights).sum());
            }
            float[] gradient = x.getGradient().toFloatArray();
            float[] input = x.toFloatArray();

            Random random = new Random(11);
            for (int t = 0; t < 24; t++) {
                int i = random.nextInt(input.length);
                float[] moved = input.clone();
                moved[i] += 1f;
                double before = loss(conv, store, manager.create(input, inputShape), weights);
                double after = loss(conv, store, manager.create(moved, inputShape), weights);
                double difference = after - before;
                assertEquals(difference, gradient[i], 1e-3 * Math.max(1, Math.abs(difference)),
                        "d loss / d x[" + i + "]");
            }
        }
    }

    private static double loss(Block conv, ParameterStore store, NDArray x, NDArray weights) {
        return conv.forward(store, new NDList(x), false).singletonOrThrow().mul(weights).sum().getFloat();
    }

    @Test
    void onlyTheFaultyFormIsPaddedSoOtherConvolutionsKeepDjlsParameters() {
        assertTrue(Convolutions.conv2d(16, 3, 1, 1, true) instanceof Conv2d);
        assertTrue(Convolutions.conv2d(3, 4, 2, 1, true) instanceof Conv2d);
        assertTrue(Convolutions.conv2d(3, 1, 1, 0, true) instanceof Conv2d);
        assertTrue(Convolutions.conv1d(64, 3, 1) instanceof Conv1d);
        assertFalse(Convolutions.conv2d(3, 3, 1, 1, true) instanceof Conv2d);
        assertFalse(Convolutions.conv1d(20, 3, 1) instanceof Conv1d);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block padded = Convolutions.conv2d(3, 3, 1, 1, false);
            padded.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 6, 6));
            // 16 filters are learnt, the first 3 kept; no bias was asked for
            assertEquals(new Shape(16, 8, 3, 3), padded.getParameters().get(0).getValue().getArray().getShape());
            assertEquals(1, padded.getParameters().size());
        }
        assertThrows(IllegalArgumentException.class, () -> Convolutions.conv2d(0, 3, 1, 1, true));
    }
}
