package org.synthloom.models.nn;

import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;

/**
 * Two rules of DJL's PyTorch engine that the blocks must follow, or leak memory and read freed
 * memory.
 *
 * <ol>
 * <li>An operation's result belongs to the manager of its <em>first</em> operand. An operation that
 * starts from a parameter ({@code positions.reshape(...)}) therefore puts its result in the
 * model's manager, which lives as long as the model: every training step would leave arrays (and
 * their autograd nodes) behind there. {@link #local} moves such a result to the step's manager.</li>
 * <li>{@code array.mul(2f)} and the other operations with a {@code Number} make a scalar tensor over
 * a Java direct buffer ({@code from_blob}, no copy) and close it right after the operation. When
 * autograd keeps that scalar for the backward pass (multiplication, division, minimum, maximum do),
 * the backward pass reads the buffer after the garbage collector may have freed it: wrong or NaN
 * gradients, at random. {@link Scalars#like} makes the scalar in memory libtorch owns instead.</li>
 * </ol>
 */
public final class Tensors {

    private Tensors() {}

    /**
     * @param derived an array computed from a parameter (so in the model's manager)
     * @param anchor an array of the current forward pass
     * @return {@code derived}, now in {@code anchor}'s manager (closed with the step)
     */
    public static NDArray local(NDArray derived, NDArray anchor) {
        derived.attach(anchor.getManager());
        return derived;
    }

    /**
     * @param like the array the scalar will be combined with
     * @param value the value
     * @return a scalar of {@code like}'s type, on its device and in its manager, whose memory libtorch owns
     * @deprecated since 1.1.0 the API has {@link Scalars#like}, for objectives as well as models
     */
    @Deprecated
    public static NDArray scalar(NDArray like, float value) {
        return Scalars.like(like, value);
    }
}
