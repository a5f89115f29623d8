package org.synthloom.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * LayerNorm over the last axis (width), epsilon 1e-5, with a learned scale and shift; libtorch's
 * fused {@code layer_norm} kernel does the work. DJL's {@code LayerNorm} block normalises over
 * every axis but the first unless told the axes by index, which does not suit inputs of rank 2
 * and 3 alike; this block always normalises the last axis, whatever the rank.
 */
public final class Norm extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float EPSILON = 1e-5f;

    private final Shape normalized;
    private final Parameter gamma;
    private final Parameter beta;

    public Norm(int width) {
        super(VERSION);
        normalized = new Shape(width);
        gamma = addParameter(Params.gamma("gamma", width));
        beta = addParameter(Params.beta("beta", width));
    }

    public NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return LayerNorm.layerNorm(x, normalized, store.getValue(gamma, x.getDevice(), training),
                store.getValue(beta, x.getDevice(), training), EPSILON).singletonOrThrow();
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
