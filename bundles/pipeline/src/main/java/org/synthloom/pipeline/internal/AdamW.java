package org.synthloom.pipeline.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;

/**
 * The engine's optimizers, on libtorch's fused updates, with state that can be saved and restored
 * (DJL's own optimizers keep theirs private), which a resumable checkpoint needs:
 * <ul>
 * <li>{@code adamw}: Adam with decoupled weight decay (Loshchilov and Hutter), applied to matrices
 * and kernels only (not to biases, norms or scalars such as CLIP's logit scale);</li>
 * <li>{@code adam}: Adam without weight decay;</li>
 * <li>{@code sgd}: SGD with momentum 0.9 and weight decay on matrices and kernels.</li>
 * </ul>
 */
final class AdamW extends Optimizer {

    private final float beta1 = 0.9f;
    private final float beta2 = 0.98f;
    private final float epsilon = 1e-6f;
    private final String kind;
    private final float weightDecay;
    private final NDManager state;
    private final Map<String, String> names;
    private final Map<String, NDArray> means = new LinkedHashMap<>();
    private final Map<String, NDArray> variances = new LinkedHashMap<>();
    private int step;
    private float learningRate;

    private static final class Settings extends OptimizerBuilder<Settings> {
        @Override
        protected Settings self() {
            return this;
        }
    }

    /**
     * @param weightDecay decoupled weight decay
     * @param state where the moments live (closed by the caller after training)
     * @param names parameter ids to their paths in the model: ids are random per model instance,
     *     paths are stable, so moments saved by one instance load into another
     */
    AdamW(String kind, float weightDecay, NDManager state, Map<String, String> names) {
        super(new Settings());
        this.kind = kind;
        this.weightDecay = kind.equals("adam") ? 0f : weightDecay;
        this.state = state;
        this.names = names;
    }

    /** Sets the step (counting from 0) and learning rate of the next update. */
    void prepare(int nextStep, float rate) {
        this.step = nextStep;
        this.learningRate = rate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        String key = names.getOrDefault(parameterId, parameterId);
        float decay = weight.getShape().dimension() >= 2 ? weightDecay : 0f;
        if (kind.equals("sgd")) {
            NDArray momentum = means.computeIfAbsent(key, k -> zeros(weight));
            weight.getNDArrayInternal().sgdUpdate(new NDList(weight, grad, momentum), new NDList(weight), learningRate,
                    decay, 1f, -1f, 0.9f, false);
            return;
        }
        NDArray mean = means.computeIfAbsent(key, k -> zeros(weight));
        NDArray variance = variances.computeIfAbsent(key, k -> zeros(weight));
        int t = step + 1;
        float corrected = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), learningRate,
                corrected, decay, 1f, -1f, beta1, beta2, epsilon, true, true);
    }

    private NDArray zeros(NDArray like) {
        NDArray zeros = state.zeros(like.getShape(), like.getDataType(), like.getDevice());
        return zeros;
    }

    /** @return the moments, encoded */
    byte[] save() throws IOException {
        NDList list = new NDList();
        means.forEach((id, array) -> {
            array.setName("m:" + id);
            list.add(array);
        });
        variances.forEach((id, array) -> {
            array.setName("v:" + id);
            list.add(array);
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            list.encode(out);
        }
        return bytes.toByteArray();
    }

    /** Restores moments saved by {@link #save()}. */
    void load(byte[] encoded) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            NDList list = NDList.decode(state, in);
            for (NDArray array : list) {
                String name = array.getName();
                (name.startsWith("m:") ? means : variances).put(name.substring(2), array);
            }
        }
    }
}
