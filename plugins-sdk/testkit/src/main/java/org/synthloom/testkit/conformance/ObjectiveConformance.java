package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.djl.GradientScope;
import org.synthloom.testkit.ClasspathDevices;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The contract of an {@link Objective}: on a batch with every output and field it
 * {@link Objective#requires() requires}, a finite 0-d loss attached to the graph, whose gradient
 * reaches every floating-point input it reads; metrics named, scalar, finite and detached; the same
 * loss for the same input; and a missing required array is an {@link IllegalArgumentException}
 * naming it.
 *
 * <p>The inputs are made from {@link #requires()} by {@link #outputs} and {@link #batch}: random
 * L2-normalised embeddings, {@code logit_scale} 10, {@code logit_bias} -1, caption logits with
 * targets ({@code -1} after a random length), labels and caption groups with repeats. An objective
 * that reads other names overrides {@link #outputs} or {@link #batch}.
 */
public abstract class ObjectiveConformance {

    private final ClasspathDevices devices = new ClasspathDevices();
    private final NDManager manager = devices.newManager(devices.defaultDevice());

    /**
     * @return the objective under test, configured
     * @throws Exception if it cannot be made
     */
    protected abstract Objective objective() throws Exception;

    /** @return the batch size of the test inputs; 6 by default */
    protected int batchSize() {
        return 6;
    }

    /** @return the embedding width; 8 by default */
    protected int embeddingWidth() {
        return 8;
    }

    /** @return vocabulary size of caption logits; 11 by default */
    protected int vocabulary() {
        return 11;
    }

    /** @return caption length (time steps) of caption logits and text fields; 5 by default */
    protected int captionLength() {
        return 5;
    }

    /** Closes the tensors of the test. */
    @AfterEach
    public void closeManager() {
        manager.close();
    }

    /**
     * The model outputs given to the objective: every required name among the outputs of
     * {@link Fields}, each named.
     *
     * @param m where to allocate
     * @param requires what the objective declared it reads
     * @return named float32 outputs (integer for {@code caption_targets})
     */
    protected NDList outputs(NDManager m, Set<String> requires) {
        int b = batchSize();
        NDList out = new NDList();
        for (String name : requires) {
            NDArray a = switch (name) {
                case Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS -> normalised(m.randomNormal(new Shape(b, embeddingWidth())));
                case Fields.LOGIT_SCALE -> m.create(10f);
                case Fields.LOGIT_BIAS -> m.create(-1f);
                case Fields.CAPTION_LOGITS -> m.randomNormal(new Shape(b, captionLength(), vocabulary()));
                case Fields.CAPTION_TARGETS -> targets(m, b);
                default -> null;
            };
            if (a != null) {
                a.setName(name);
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The batch fields given to the objective: every required name among the batch fields of
     * {@link Fields} (labels and caption groups with repeats, so that there are several positives).
     *
     * @param m where to allocate
     * @param requires what the objective declared it reads
     * @return named batch fields
     */
    protected NDList batch(NDManager m, Set<String> requires) {
        int b = batchSize();
        NDList out = new NDList();
        for (String name : requires) {
            NDArray a = switch (name) {
                case Fields.LABELS, Fields.CAPTION_GROUPS -> m.arange(0, b, 1, DataType.INT32).div(2).toType(DataType.INT32, false);
                case Fields.TEXT_TOKENS -> m.randomInteger(3, vocabulary(), new Shape(b, captionLength()), DataType.INT32);
                case Fields.TEXT_MASK -> m.ones(new Shape(b, captionLength()), DataType.INT32);
                case Fields.IMAGES -> m.randomNormal(new Shape(b, 3, 16, 16));
                case Fields.IMAGE_TOKENS -> m.randomInteger(0, 16, new Shape(b, 16), DataType.INT32);
                default -> null;
            };
            if (a != null) {
                a.setName(name);
                out.add(a);
            }
        }
        return out;
    }

    private static NDArray normalised(NDArray x) {
        return x.div(x.norm(new int[] {1}, true));
    }

    private NDArray targets(NDManager m, int b) {
        int t = captionLength();
        long[] ids = new long[b * t];
        java.util.Random random = new java.util.Random(b);
        for (int i = 0; i < b; i++) {
            int length = 1 + random.nextInt(t);
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = j < length ? random.nextInt(vocabulary()) : -1;
            }
        }
        return m.create(ids, new Shape(b, t));
    }

    private NDList[] inputs(NDManager m, Objective objective) {
        Set<String> requires = objective.requires();
        assertNotNull(requires, "requires() is null");
        m.getEngine().setRandomSeed(1234);
        NDList outputs = outputs(m, requires);
        NDList batch = batch(m, requires);
        List<String> given = new ArrayList<>();
        outputs.forEach(a -> given.add(a.getName()));
        batch.forEach(a -> given.add(a.getName()));
        for (String name : requires) {
            if (!given.contains(name)) {
                fail(getClass().getSimpleName() + ": the objective requires '" + name
                        + "', which the suite cannot make; override outputs() or batch() to provide it");
            }
        }
        return new NDList[] {outputs, batch};
    }

    /** The loss is a finite float 0-d scalar. */
    @Test
    public void theLossIsAFiniteScalar() throws Exception {
        Objective objective = objective();
        try (NDManager step = manager.newSubManager()) {
            NDList[] in = inputs(step, objective);
            LossOutput out = objective.compute(in[0], in[1]);
            assertNotNull(out, "compute returned null");
            NDArray loss = out.loss();
            assertEquals(new Shape(), loss.getShape(), "the loss must be a 0-d scalar");
            assertTrue(loss.getDataType().isFloating(), "the loss must be floating point, is " + loss.getDataType());
            assertTrue(Float.isFinite(loss.toType(DataType.FLOAT32, false).getFloat()), "loss " + loss + " is not finite");
        }
    }

    /** Backward from the loss gives a finite, non-zero gradient to every floating-point input it reads. */
    @Test
    public void gradientsReachEveryInputThatRequiresThem() throws Exception {
        Objective objective = objective();
        try (NDManager step = manager.newSubManager()) {
            NDList[] in = inputs(step, objective);
            List<NDArray> differentiable = new ArrayList<>();
            for (NDList list : in) {
                for (NDArray a : list) {
                    if (a.getDataType().isFloating() && objective.requires().contains(a.getName())) {
                        a.setRequiresGradient(true);
                        differentiable.add(a);
                    }
                }
            }
            assertFalse(differentiable.isEmpty(), "the objective reads no floating-point input to differentiate");
            try (GradientScope scope = devices.newGradientScope()) {
                LossOutput out = objective.compute(in[0], in[1]);
                scope.backward(out.loss());
            }
            for (NDArray a : differentiable) {
                NDArray g = a.getGradient();
                float[] values = g.toType(DataType.FLOAT32, false).toFloatArray();
                boolean nonZero = false;
                for (float v : values) {
                    assertTrue(Float.isFinite(v), "gradient of " + a.getName() + " is not finite");
                    nonZero |= v != 0f;
                }
                assertTrue(nonZero, "no gradient reached " + a.getName() + ": the loss does not depend on it, or it was detached");
            }
        }
    }

    /** Metrics have names, and are finite scalars detached from the graph. */
    @Test
    public void metricsAreNamedFiniteDetachedScalars() throws Exception {
        Objective objective = objective();
        try (NDManager step = manager.newSubManager()) {
            NDList[] in = inputs(step, objective);
            for (NDList list : in) {
                for (NDArray a : list) {
                    if (a.getDataType().isFloating()) {
                        a.setRequiresGradient(true);
                    }
                }
            }
            LossOutput out;
            try (GradientScope scope = devices.newGradientScope()) {
                out = objective.compute(in[0], in[1]);
            }
            for (Map.Entry<String, NDArray> e : out.metrics().entrySet()) {
                assertTrue(e.getKey() != null && !e.getKey().isBlank(), "a metric has no name");
                NDArray v = e.getValue();
                assertEquals(1, v.size(), "metric " + e.getKey() + " is not a scalar: " + v.getShape());
                assertTrue(Float.isFinite(v.toType(DataType.FLOAT32, false).getFloat()), "metric " + e.getKey() + " is not finite");
                assertFalse(attached(v), "metric " + e.getKey() + " is attached to the graph: detach it (stopGradient)");
            }
        }
    }

    /**
     * Whether an array is part of the autograd graph: backward from it succeeds. (DJL's
     * {@code hasGradient()} answers for leaves only.)
     */
    private boolean attached(NDArray v) {
        try (GradientScope scope = devices.newGradientScope()) {
            scope.backward(v.sum());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The same input gives the same loss. */
    @Test
    public void isDeterministic() throws Exception {
        Objective objective = objective();
        try (NDManager step = manager.newSubManager()) {
            NDList[] in = inputs(step, objective);
            float a = objective.compute(in[0], in[1]).loss().getFloat();
            float b = objective.compute(in[0], in[1]).loss().getFloat();
            assertEquals(a, b, 1e-6f, "the same input gave two losses");
        }
    }

    /** Leaving out a required output or field is an {@link IllegalArgumentException} that names it. */
    @Test
    public void aMissingRequiredInputIsNamed() throws Exception {
        Objective objective = objective();
        try (NDManager step = manager.newSubManager()) {
            NDList[] in = inputs(step, objective);
            for (String missing : objective.requires()) {
                NDList outputs = without(in[0], missing);
                NDList batch = without(in[1], missing);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> objective.compute(outputs, batch), "without '" + missing + "'");
                assertTrue(e.getMessage() != null && e.getMessage().contains(missing),
                        "the message should name '" + missing + "': " + e.getMessage());
            }
        }
    }

    private static NDList without(NDList list, String name) {
        NDList out = new NDList();
        list.stream().filter(a -> !name.equals(a.getName())).forEach(out::add);
        return out;
    }
}
