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
 * Adam with decoupled weight decay (Loshchilov and Hutter), applied to matrices and kernels only
 * (not to biases, norms or scalars such as CLIP's logit scale), on libtorch's fused update. Unlike
 * DJL's optimizers its moments can be saved and restored, which a resumable checkpoint needs.
 */
final class AdamW extends Optimizer {

    private final float beta1 = 0.9f;
    private final float beta2 = 0.98f;
    private final float epsilon = 1e-6f;
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
    AdamW(float weightDecay, NDManager state, Map<String, String> names) {
        super(new Settings());
        this.weightDecay = weightDecay;
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
        NDArray mean = means.computeIfAbsent(key, k -> zeros(weight));
        NDArray variance = variances.computeIfAbsent(key, k -> zeros(weight));
        int t = step + 1;
        float corrected = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float decay = weight.getShape().dimension() >= 2 ? weightDecay : 0f;
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
