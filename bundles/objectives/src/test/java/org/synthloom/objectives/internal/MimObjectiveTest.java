package org.synthloom.objectives.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** The mim objective against a case worked out by hand, on the real engine. */
class MimObjectiveTest {

    /**
     * B = 2 images of N = 3 patches, D = 2. Masked: (0, 0), (0, 2), (1, 1).
     * Cosines at the masked patches: (1,0)·(2,0) = 1; (1,1)·(-1,-1) = -1; (3,4)·(4,-3) = 0.
     * Unmasked patches hold arbitrary values (one a zero vector) that must not count.
     */
    private static final float[] PREDICTIONS = {1, 0, 5, 5, 1, 1, 7, 7, 3, 4, 0, 0};
    private static final float[] TARGETS = {2, 0, -5, 1, -1, -1, 1, 2, 4, -3, 9, 9};
    private static final int[] MASK = {1, 0, 1, 0, 1, 0};

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDList outputs(float[] predictions, float[] targets, int[] mask) {
        NDArray p = manager.create(predictions, new Shape(2, 3, 2));
        p.setName(Fields.MIM_PREDICTIONS);
        NDArray t = manager.create(targets, new Shape(2, 3, 2));
        t.setName(Fields.MIM_TARGETS);
        NDArray m = manager.create(mask, new Shape(2, 3));
        m.setName(Fields.MIM_MASK);
        return new NDList(p, t, m);
    }

    @Test
    void theLossIsTheMeanCosineDistanceOverTheMaskedPatches() {
        NDList out = outputs(PREDICTIONS, TARGETS, MASK);
        NDArray p = out.get(Fields.MIM_PREDICTIONS);
        p.setRequiresGradient(true);
        LossOutput loss;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            loss = new MimObjective().compute(out, new NDList());
            collector.backward(loss.loss());
        }
        // distances 1 - 1 = 0, 1 - (-1) = 2, 1 - 0 = 1: mean over 3 masked patches = 1
        assertEquals(1.0f, loss.loss().getFloat(), 1e-6f);
        assertEquals(1.0f, loss.metrics().get("mim_loss").getFloat(), 1e-6f);
        assertEquals(0.5f, loss.metrics().get("mim_mask_fraction").getFloat(), 0f);
        // d(1 - cos)/dp = -(t/(|p||t|) - cos p/|p|^2) / 3 at masked patches, 0 elsewhere.
        float[] grad = p.getGradient().toFloatArray();
        float[] expected = new float[12];
        for (int k = 0; k < 6; k++) {
            if (MASK[k] == 0) {
                continue;
            }
            double px = PREDICTIONS[2 * k], py = PREDICTIONS[2 * k + 1], tx = TARGETS[2 * k], ty = TARGETS[2 * k + 1];
            double np = Math.hypot(px, py), nt = Math.hypot(tx, ty), cos = (px * tx + py * ty) / (np * nt);
            expected[2 * k] = (float) (-(tx / (np * nt) - cos * px / (np * np)) / 3);
            expected[2 * k + 1] = (float) (-(ty / (np * nt) - cos * py / (np * np)) / 3);
        }
        for (int i = 0; i < 12; i++) {
            assertEquals(expected[i], grad[i], 1e-6f, "gradient " + i);
        }
    }

    @Test
    void theMaskAcceptsAnyNumericTypeAndAnEmptyMaskCostsNothing() {
        NDList floats = outputs(PREDICTIONS, TARGETS, MASK);
        NDArray mask = floats.get(Fields.MIM_MASK);
        floats.remove(mask);
        NDArray floatMask = mask.toType(DataType.FLOAT32, false);
        floatMask.setName(Fields.MIM_MASK);
        floats.add(floatMask);
        assertEquals(1.0f, new MimObjective().compute(floats, new NDList()).loss().getFloat(), 1e-6f);
        LossOutput empty = new MimObjective().compute(outputs(PREDICTIONS, TARGETS, new int[6]), new NDList());
        assertEquals(0f, empty.loss().getFloat(), 0f);
        assertEquals(0f, empty.metrics().get("mim_mask_fraction").getFloat(), 0f);
    }

    @Test
    void misshapenOutputsAreNamed() {
        NDList out = outputs(PREDICTIONS, TARGETS, MASK);
        NDArray mask = out.get(Fields.MIM_MASK);
        out.remove(mask);
        NDArray wrong = manager.ones(new Shape(2, 2), DataType.INT32);
        wrong.setName(Fields.MIM_MASK);
        out.add(wrong);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MimObjective().compute(out, new NDList()));
        assertTrue(e.getMessage().contains(Fields.MIM_MASK) && e.getMessage().contains("(2, 2)"), e.getMessage());
    }
}
