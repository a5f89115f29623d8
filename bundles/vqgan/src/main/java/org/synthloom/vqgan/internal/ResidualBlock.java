package org.synthloom.vqgan.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code x + conv(silu(conv(silu(x))))} with two 3x3 convolutions that keep the channels and the
 * resolution: VQ-GAN's residual block without its group normalisation (DJL has none, and at these
 * sizes the autoencoder trains without it).
 */
final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block first;
    private final Block second;

    /** @param channels input and output channels */
    ResidualBlock(int channels) {
        super(VERSION);
        this.first = addChildBlock("conv1", Layers.conv(channels, 3, 1));
        this.second = addChildBlock("conv2", Layers.conv(channels, 3, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = first.forward(parameterStore, new NDList(silu(x)), training, params).singletonOrThrow();
        h = second.forward(parameterStore, new NDList(silu(h)), training, params).singletonOrThrow();
        return new NDList(x.add(h));
    }

    /**
     * SiLU, {@code x * sigmoid(x)}, VQ-GAN's nonlinearity. Not DJL's {@code Activation.swish(x, 1f)}:
     * it multiplies by the Number {@code beta}, a scalar over a Java buffer that autograd keeps for
     * the backward pass and the garbage collector may free before it (random NaN in training).
     */
    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        first.initialize(manager, dataType, inputShapes);
        second.initialize(manager, dataType, inputShapes);
    }
}
