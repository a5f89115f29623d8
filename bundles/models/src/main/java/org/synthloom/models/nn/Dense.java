package org.synthloom.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/** The affine map of every transformer layer, shaped so that libtorch fuses the bias. */
public final class Dense {

    private Dense() {}

    /**
     * {@code x W^T + b} over the last axis of {@code x} of any rank. libtorch's C++ {@code linear}
     * (what DJL calls) fuses the bias into the matrix product ({@code addmm}) only for 2-D inputs;
     * for 3-D ones it runs {@code matmul} and then a separate in-place bias add, one more pass over
     * the output in each direction. So the input is flattened to 2-D (a view when it is contiguous)
     * and the result unflattened (a view).
     *
     * @param x {@code (..., in)}
     * @param weight {@code (out, in)}
     * @param bias {@code (out)} or null
     * @return {@code (..., out)}
     */
    public static NDArray apply(NDArray x, NDArray weight, NDArray bias) {
        Shape shape = x.getShape();
        int last = shape.dimension() - 1;
        if (last == 1) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
        return Linear.linear(x.reshape(-1, shape.get(last)), weight, bias).singletonOrThrow()
                .reshape(shape.slice(0, last).add(weight.getShape().get(0)));
    }
}
