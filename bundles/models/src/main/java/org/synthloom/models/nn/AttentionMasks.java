package org.synthloom.models.nn;

import java.util.HashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks, and a per-block cache of the constant ones.
 *
 * <p>A mask is added to the attention scores before the softmax: 0 where a query may attend to a
 * key, {@link #BLOCKED} where it may not. {@code exp(BLOCKED - max)} is exactly 0 in float32, so a
 * blocked key contributes nothing, to the output or to the gradients; a finite value (not
 * {@code -inf}) keeps a query whose keys are all blocked finite (it averages them) instead of NaN.
 *
 * <p>The causal mask and the position ramp depend only on the sequence length: each block keeps
 * one per length and device, created once in the manager of its parameters (so they live as long
 * as the model, and are rebuilt if that manager was closed). The key-padding part depends on the
 * batch and is computed once per forward pass, then shared by every layer.
 */
public final class AttentionMasks {

    /** Added to the score of a blocked key. */
    public static final float BLOCKED = -1e9f;

    private final Map<String, NDArray> constants = new HashMap<>();

    /**
     * The self-attention bias for token sequences.
     *
     * @param mask the padding mask {@code (B, T)}, 1 at real tokens, 0 at padding (any numeric type), or null
     * @param causal whether position {@code t} may attend only to positions {@code <= t}
     * @param length {@code T}
     * @param owner the manager of the block's parameters, where constants are cached
     * @return null (no masking), {@code (T, T)} (causal only), {@code (B, 1, 1, T)} (padding only) or
     *     {@code (B, 1, T, T)} (both)
     */
    public NDArray selfAttention(NDArray mask, boolean causal, long length, NDManager owner) {
        NDArray padding = mask == null ? null : keyPadding(mask);
        if (!causal) {
            return padding;
        }
        NDArray future = causal(length, owner);
        return padding == null ? future : padding.add(future);
    }

    /**
     * @param mask {@code (B, M)}, 1 at real keys, 0 at padding
     * @return {@code (B, 1, 1, M)}: 0 at real keys, {@link #BLOCKED} at padding
     */
    public static NDArray keyPadding(NDArray mask) {
        Shape shape = mask.getShape();
        return mask.toType(DataType.FLOAT32, false).sub(1f).mul(-BLOCKED).reshape(shape.get(0), 1, 1, shape.get(1));
    }

    /** {@code (T, T)}: 0 on and below the diagonal, {@link #BLOCKED} above it (the future). */
    public NDArray causal(long length, NDManager owner) {
        return constant("causal", length, owner, m -> {
            NDArray positions = m.arange(0f, length, 1f, DataType.FLOAT32);
            NDArray future = positions.reshape(1, length).gt(positions.reshape(length, 1));
            return future.toType(DataType.FLOAT32, false).mul(BLOCKED);
        });
    }

    /**
     * The combination mask of a prefix language model (CLIPS's recaptioner): the first
     * {@code prefix} positions attend to each other in both directions and never to the positions
     * after them; each later position attends to the whole prefix and causally to the later
     * positions up to itself.
     *
     * @param prefix the prefix length {@code P}, in {@code [0, T]}; 0 gives {@link #causal}
     * @param length {@code T}
     * @param owner the manager of the block's parameters, where the constant is cached
     * @return {@code (T, T)}: 0 where query {@code q} may see key {@code k} ({@code k < P} or
     *     {@code k <= q}), {@link #BLOCKED} elsewhere
     * @throws IllegalArgumentException if {@code prefix} is not in {@code [0, length]}
     * @since 1.2
     */
    public NDArray prefixCausal(long prefix, long length, NDManager owner) {
        if (prefix < 0 || prefix > length) {
            throw new IllegalArgumentException("the prefix of a combination mask must be in [0, " + length + "], not "
                    + prefix);
        }
        return constant("prefix" + prefix, length, owner, m -> {
            NDArray positions = m.arange(0f, length, 1f, DataType.FLOAT32);
            NDArray keys = positions.reshape(1, length);
            // Blocked: a key in the future of its query that is not part of the prefix.
            NDArray blocked = keys.gt(positions.reshape(length, 1)).logicalAnd(keys.gte(prefix));
            return blocked.toType(DataType.FLOAT32, false).mul(BLOCKED);
        });
    }

    /** {@code (T)}: the float32 ramp {@code 1, 2, ..., T}, for finding the last real token of a mask. */
    public NDArray ramp(long length, NDManager owner) {
        return constant("ramp", length, owner, m -> m.arange(1f, length + 1f, 1f, DataType.FLOAT32));
    }

    private synchronized NDArray constant(String kind, long length, NDManager owner,
            java.util.function.Function<NDManager, NDArray> make) {
        String key = kind + ':' + length + '@' + owner.getDevice();
        NDArray cached = constants.get(key);
        if (cached == null || cached.isReleased()) {
            // Temporaries of the construction go with the scratch manager; only the result stays.
            try (NDManager scratch = owner.newSubManager()) {
                cached = make.apply(scratch);
                cached.attach(owner);
            }
            constants.put(key, cached);
        }
        return cached;
    }
}
