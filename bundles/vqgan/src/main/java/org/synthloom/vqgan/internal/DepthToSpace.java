package org.synthloom.vqgan.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Depth to space by 2 (pixel shuffle): {@code (B, 4C, H, W)} to {@code (B, C, 2H, 2W)}, channel
 * {@code 4c + 2i + j} going to sub-pixel {@code (i, j)} of channel {@code c}. No parameters: after a
 * 3x3 convolution to {@code 4C} channels it is a learnt 2x upsampling that contains the 4x4
 * stride-2 transposed convolution as a special case.
 */
final class DepthToSpace extends AbstractBlock {

    private static final byte VERSION = 1;

    DepthToSpace() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long c = s.get(1) / 4;
        return new NDList(x.reshape(s.get(0), c, 2, 2, s.get(2), s.get(3)).transpose(0, 1, 4, 2, 5, 3)
                .reshape(s.get(0), c, s.get(2) * 2, s.get(3) * 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1) / 4, s.get(2) * 2, s.get(3) * 2)};
    }
}
