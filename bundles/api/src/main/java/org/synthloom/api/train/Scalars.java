package org.synthloom.api.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalars for losses and models, in memory libtorch owns.
 *
 * <p>With DJL's PyTorch engine, {@code x.div(2f)}, {@code x.mul(weight)} and every other operation
 * with a Java {@code Number} operand wrap the number in a tensor over a Java direct buffer (no copy)
 * and close that tensor right after the operation. When autograd keeps the scalar for the backward
 * pass (multiplication, division, minimum and maximum do), the backward pass reads the buffer after
 * the garbage collector may have freed it: gradients scaled by whatever the memory then holds, so a
 * loss that sometimes diverges and runs that differ with the same seed. In anything a gradient flows
 * through, write {@code x.div(Scalars.like(x, 2f))} instead.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * @param like the array the scalar will be combined with
     * @param value the value
     * @return a 0-d array of {@code like}'s type, on its device and in its manager, made by libtorch
     */
    public static NDArray like(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType(), like.getDevice());
    }
}
