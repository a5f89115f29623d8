package org.synthloom.models.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A transformer's feed-forward layer: Linear(width, hidden), GELU (exact, erf), Linear(hidden, width). */
public final class Mlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter fc1Weight;
    private final Parameter fc1Bias;
    private final Parameter fc2Weight;
    private final Parameter fc2Bias;

    public Mlp(int width, int hidden) {
        super(VERSION);
        fc1Weight = addParameter(Params.weight("fc1_weight", hidden, width));
        fc1Bias = addParameter(Params.bias("fc1_bias", hidden));
        fc2Weight = addParameter(Params.weight("fc2_weight", width, hidden));
        fc2Bias = addParameter(Params.bias("fc2_bias", width));
    }

    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        Device device = x.getDevice();
        NDArray h = Dense.apply(x, store.getValue(fc1Weight, device, training),
                store.getValue(fc1Bias, device, training));
        return Dense.apply(Activation.gelu(h), store.getValue(fc2Weight, device, training),
                store.getValue(fc2Bias, device, training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(store, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
