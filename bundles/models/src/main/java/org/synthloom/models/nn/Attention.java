package org.synthloom.models.nn;

import org.synthloom.api.train.Scalars;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head scaled dot-product attention, self or cross, with an optional additive mask.
 *
 * <p>Self-attention projects queries, keys and values with one fused matrix {@code (3W, W)}; cross-
 * attention projects the queries from {@code x} with {@code (W, W)} and keys and values from the
 * context with one fused matrix {@code (2W, Wc)}. All heads are computed by two batched matrix
 * products over {@code (B, heads, N, W / heads)} views, never a loop over heads; the scaling by
 * {@code 1/sqrt(W / heads)} is applied to the queries (no larger than the scores).
 *
 * <p>The mask is an additive bias broadcastable to the scores {@code (B, heads, N, M)}:
 * {@link AttentionMasks} builds causal and key-padding biases (0 where attending is allowed, a
 * large negative where not).
 *
 * <p>Block forward: {@code NDList(x)} for self-attention, {@code NDList(x, context)} for cross-
 * attention, without a mask; the model blocks call {@link #apply} with their masks.
 */
public final class Attention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final int heads;
    private final int headDim;
    private final int contextWidth;
    private final float scale;
    /** Self: the fused (3W, W) query-key-value projection. Cross: the (W, W) query projection. */
    private final Parameter inWeight;
    private final Parameter inBias;
    /** Cross only: the fused (2W, Wc) key-value projection of the context. */
    private final Parameter kvWeight;
    private final Parameter kvBias;
    private final Parameter outWeight;
    private final Parameter outBias;

    private Attention(int width, int heads, int contextWidth) {
        super(VERSION);
        if (width % heads != 0) {
            throw new IllegalArgumentException("attention width " + width + " is not a multiple of " + heads + " heads");
        }
        this.width = width;
        this.heads = heads;
        this.headDim = width / heads;
        this.contextWidth = contextWidth;
        this.scale = (float) (1 / Math.sqrt(headDim));
        boolean cross = contextWidth > 0;
        inWeight = addParameter(Params.weight(cross ? "q_weight" : "qkv_weight", cross ? width : 3L * width, width));
        inBias = addParameter(Params.bias(cross ? "q_bias" : "qkv_bias", cross ? width : 3L * width));
        kvWeight = cross ? addParameter(Params.weight("kv_weight", 2L * width, contextWidth)) : null;
        kvBias = cross ? addParameter(Params.bias("kv_bias", 2L * width)) : null;
        outWeight = addParameter(Params.weight("out_weight", width, width));
        outBias = addParameter(Params.bias("out_bias", width));
    }

    /** Self-attention over sequences of width {@code width}. */
    public static Attention self(int width, int heads) {
        return new Attention(width, heads, 0);
    }

    /** Queries of width {@code width} attending over a context of width {@code contextWidth}. */
    public static Attention cross(int width, int heads, int contextWidth) {
        if (contextWidth <= 0) {
            throw new IllegalArgumentException("cross-attention needs a positive context width, got " + contextWidth);
        }
        return new Attention(width, heads, contextWidth);
    }

    public boolean isCross() {
        return contextWidth > 0;
    }

    /**
     * @param x queries' source {@code (B, N, W)}
     * @param context keys' and values' source {@code (B, M, Wc)} for cross-attention; ignored (may be
     *     null) for self-attention, where it is {@code x}
     * @param mask additive bias broadcastable to {@code (B, heads, N, M)}, or null
     * @return {@code (B, N, W)}
     */
    public NDArray apply(ParameterStore store, NDArray x, NDArray context, NDArray mask, boolean training) {
        Device device = x.getDevice();
        NDArray projected = Dense.apply(x, store.getValue(inWeight, device, training),
                store.getValue(inBias, device, training));
        NDArray q;
        NDArray k;
        NDArray v;
        // Split (not select) the fused projections: views whose backward is one concatenation,
        // where select's would allocate a zero gradient of the whole projection per part.
        if (isCross()) {
            q = heads(projected);
            NDList kv = Dense.apply(context, store.getValue(kvWeight, device, training),
                    store.getValue(kvBias, device, training)).split(2, 2);
            k = heads(kv.get(0));
            v = heads(kv.get(1));
        } else {
            NDList qkv = projected.split(3, 2);
            q = heads(qkv.get(0));
            k = heads(qkv.get(1));
            v = heads(qkv.get(2));
        }
        NDArray scores = q.mul(Scalars.like(q, scale)).matMul(k.transpose(0, 1, 3, 2));
        if (mask != null) {
            scores = scores.add(mask);
        }
        Shape shape = x.getShape();
        NDArray merged = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(1), width);
        return Dense.apply(merged, store.getValue(outWeight, device, training), store.getValue(outBias, device, training));
    }

    /** {@code (B, N, W)} (a view) as {@code (B, heads, N, W / heads)} (a view). */
    private NDArray heads(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), heads, headDim).transpose(0, 2, 1, 3);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (isCross() && inputs.size() < 2) {
            throw new IllegalArgumentException("cross-attention takes (x, context), got " + inputs.size() + " array(s)");
        }
        return new NDList(apply(store, inputs.get(0), isCross() ? inputs.get(1) : null, null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
