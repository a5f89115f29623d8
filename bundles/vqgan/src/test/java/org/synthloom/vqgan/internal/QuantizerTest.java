package org.synthloom.vqgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.djl.GradientScope;
import org.synthloom.testkit.ClasspathDevices;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The quantiser on the real engine, against values computed by hand: two encoder outputs of width
 * 2 on a 1x2 grid, a codebook of three codes.
 */
class QuantizerTest {

    private static final float BETA = 0.25f;
    // codes: 0 = (0, 0), 1 = (1, 0), 2 = (0, 2)
    private static final float[] CODEBOOK = {0, 0, 1, 0, 0, 2};
    // z is (B=1, D=2, 1, 2), channel-major: cell 0 = (0.9, 0.2), cell 1 = (0.1, 1.5)
    private static final float[] Z = {0.9f, 0.1f, 0.2f, 1.5f};

    private final ClasspathDevices devices = new ClasspathDevices();
    private NDManager manager;
    private Quantizer quantizer;

    @BeforeEach
    void build() {
        manager = devices.newManager(Device.cpu());
        quantizer = new Quantizer(3, 2, BETA);
        quantizer.preset(manager.create(CODEBOOK, new Shape(3, 2)));
        quantizer.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 1, 2));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void choosesTheNearestCodeAndPassesItsVectorForward() {
        NDList out = quantizer.forward(new ParameterStore(manager, false), new NDList(manager.create(Z, new Shape(1, 2, 1, 2))),
                false);
        // cell 0 is at squared distance 0.05 from code 1 (0.85 from code 0); cell 1 at 0.26 from code 2 (2.26 from code 0)
        assertArrayEquals(new long[] {1, 2}, out.get(2).toLongArray());
        assertEquals(new Shape(1, 2), out.get(2).getShape());
        // the quantised output holds the codes' vectors, in the input's (B, D, g, g) layout
        assertEquals(new Shape(1, 2, 1, 2), out.get(0).getShape());
        assertArrayEquals(new float[] {1, 0, 0, 2}, out.get(0).toFloatArray(), 1e-6f);
        // codebook term + beta * commitment = (1 + beta) * mean of (z - e)^2 = 1.25 * (0.01 + 0.04 + 0.01 + 0.25) / 4
        assertEquals(1.25 * 0.31 / 4, out.get(1).getFloat(), 1e-6);
    }

    @Test
    void theStraightThroughGradientReachesTheInputAndTheCodebookLearnsOnlyFromItsTerm() {
        NDArray z = manager.create(Z, new Shape(1, 2, 1, 2));
        z.setRequiresGradient(true);
        NDArray table = quantizer.codebook().getArray();
        table.setRequiresGradient(true);
        NDArray weights = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 1, 2));
        try (GradientScope gradients = devices.newGradientScope()) {
            NDList out = quantizer.forward(new ParameterStore(manager, false), new NDList(z), true);
            gradients.backward(out.get(0).mul(weights).sum().add(out.get(1)));
        }
        // d/dz: the upstream gradient passed straight through, plus the commitment term
        // beta * 2 (z - e) / 4, with z - e = (-0.1, 0.1, 0.2, -0.5) in z's layout
        assertArrayEquals(new float[] {1 - 0.0125f, 2 + 0.0125f, 3 + 0.025f, 4 - 0.0625f}, z.getGradient().toFloatArray(),
                1e-5f);
        // d/de: only the codebook term -2 (z - e) / 4 of the codes chosen; code 0 was not chosen
        assertArrayEquals(new float[] {0, 0, 0.05f, -0.1f, -0.05f, 0.25f}, table.getGradient().toFloatArray(), 1e-5f);
    }

    @Test
    void nearestAndLookupAgree() {
        NDArray table = manager.create(CODEBOOK, new Shape(3, 2));
        NDArray points = manager.create(new float[] {0.1f, 0.1f, 0.8f, -0.3f, -0.2f, 1.2f, 5, 5}, new Shape(4, 2));
        assertArrayEquals(new long[] {0, 1, 2, 2}, Quantizer.nearest(points, table).toLongArray());
        // lookup lays a (B, g * g) code grid out as (B, D, g, g)
        NDArray vectors = quantizer.lookup(table, manager.create(new long[] {2, 1, 0, 2}, new Shape(1, 4)), 2);
        assertEquals(new Shape(1, 2, 2, 2), vectors.getShape());
        assertArrayEquals(new float[] {0, 1, 0, 0, 2, 0, 0, 2}, vectors.toFloatArray(), 1e-6f);
    }

    @Test
    void aPresetCodebookMustHaveTheConfiguredShape() {
        Quantizer q = new Quantizer(4, 2, BETA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.preset(manager.create(CODEBOOK, new Shape(3, 2))));
        assertTrue(e.getMessage().contains("4 x 2") && e.getMessage().contains("(3, 2)"), e.getMessage());
    }
}
