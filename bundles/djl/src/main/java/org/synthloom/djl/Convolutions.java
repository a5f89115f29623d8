package org.synthloom.djl;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Convolutions whose gradients are right on every CPU this engine runs on.
 *
 * <p>The oneDNN 3.7.1 inside libtorch 2.7.1 computes a wrong input gradient (backward-data) for a
 * stride-1 convolution with a kernel wider than 1 when its output channels are not a multiple of
 * 16 (its AVX-512 and its AVX2 kernels alike) on an AMD EPYC (Zen 5) host, where
 * the gradient with respect to the input of a 3x3 convolution to 3 channels differed from finite
 * differences by 100% while the forward pass and the weight gradient were right. Every layer before
 * such a convolution then learns from noise: a VQ-GAN decoder, whose last convolution draws 3
 * channels, stopped learning. The builders here give such a convolution a multiple of 16 output
 * channels and keep the first {@code filters} of them, so oneDNN never takes the faulty path;
 * every other convolution is DJL's own, with DJL's parameter names.
 */
public final class Convolutions {

    /** Output channels are padded to a multiple of this: oneDNN's AVX-512 channel block, twice AVX2's. */
    static final int CHANNEL_BLOCK = 16;

    private Convolutions() {}

    /**
     * A 2-D convolution with "same"-style symmetric padding.
     *
     * @param filters output channels
     * @param kernel square kernel side
     * @param stride stride in both directions
     * @param padding zero padding on each side
     * @param bias whether it adds a bias
     * @return DJL's {@link Conv2d}, or a channel-padded one where oneDNN's backward pass is faulty
     */
    public static Block conv2d(int filters, int kernel, int stride, int padding, boolean bias) {
        boolean padded = needsPadding(filters, kernel, stride);
        Block conv = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding)).setFilters(padded ? roundUp(filters) : filters).optBias(bias)
                .build();
        return padded ? new FirstChannels(conv, filters) : conv;
    }

    /**
     * A 1-D convolution with stride 1.
     *
     * @param filters output channels
     * @param kernel kernel width
     * @param padding zero padding on each side
     * @return DJL's {@link Conv1d}, or a channel-padded one where oneDNN's backward pass is faulty
     */
    public static Block conv1d(int filters, int kernel, int padding) {
        boolean padded = needsPadding(filters, kernel, 1);
        Block conv = Conv1d.builder().setKernelShape(new Shape(kernel)).optPadding(new Shape(padding))
                .setFilters(padded ? roundUp(filters) : filters).build();
        return padded ? new FirstChannels(conv, filters) : conv;
    }

    /** @return whether a convolution of this form takes oneDNN's faulty backward-data path */
    static boolean needsPadding(int filters, int kernel, int stride) {
        if (filters <= 0) {
            throw new IllegalArgumentException("a convolution needs at least one output channel, not " + filters);
        }
        return stride == 1 && kernel > 1 && filters % CHANNEL_BLOCK != 0;
    }

    private static int roundUp(int filters) {
        return (filters + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
    }

    /** A convolution with padded output channels, of which it returns the first {@code filters}. */
    private static final class FirstChannels extends AbstractBlock {

        private static final byte VERSION = 1;

        private final Block conv;
        private final int filters;
        private final NDIndex first;

        FirstChannels(Block conv, int filters) {
            super(VERSION);
            this.conv = addChildBlock("conv", conv);
            this.filters = filters;
            this.first = new NDIndex(":, 0:{}", filters);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray all = conv.forward(parameterStore, inputs, training, params).singletonOrThrow();
            return new NDList(all.get(first));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long[] dims = conv.getOutputShapes(inputShapes)[0].getShape();
            long[] kept = Arrays.copyOf(dims, dims.length);
            kept[1] = filters;
            return new Shape[] {new Shape(kept)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            conv.initialize(manager, dataType, inputShapes);
        }
    }
}
