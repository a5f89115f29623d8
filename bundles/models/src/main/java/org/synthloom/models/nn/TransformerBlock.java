package org.synthloom.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pre-LayerNorm transformer layer: {@code x + SelfAttention(LN(x))}, then, in a decoder layer,
 * {@code x + CrossAttention(LN(x), context)}, then {@code x + MLP(LN(x))} with a GELU MLP. The
 * ViT, the text transformer and the caption decoder are stacks of these.
 *
 * <p>Block forward: {@code NDList(x)}, or {@code NDList(x, context)} for a layer that cross-
 * attends, without masks; the model blocks call {@link #apply} with their masks.
 */
public final class TransformerBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int contextWidth;
    private final Norm selfNorm;
    private final Attention selfAttention;
    private final Norm crossNorm;
    private final Attention crossAttention;
    private final Norm mlpNorm;
    private final Mlp mlp;

    /**
     * @param width the sequence width {@code W}
     * @param heads attention heads, dividing {@code W}
     * @param hidden the MLP's hidden width
     * @param contextWidth the width of the sequence to cross-attend to, or 0 for none
     */
    public TransformerBlock(int width, int heads, int hidden, int contextWidth) {
        super(VERSION);
        this.contextWidth = contextWidth;
        selfNorm = addChildBlock("self_norm", new Norm(width));
        selfAttention = addChildBlock("self_attention", Attention.self(width, heads));
        crossNorm = contextWidth > 0 ? addChildBlock("cross_norm", new Norm(width)) : null;
        crossAttention = contextWidth > 0 ? addChildBlock("cross_attention", Attention.cross(width, heads, contextWidth))
                : null;
        mlpNorm = addChildBlock("mlp_norm", new Norm(width));
        mlp = addChildBlock("mlp", new Mlp(width, hidden));
    }

    /**
     * @param x {@code (B, N, W)}
     * @param selfMask additive self-attention mask (see {@link AttentionMasks}), or null
     * @param context {@code (B, M, Wc)} for a layer that cross-attends, else ignored
     * @param contextMask additive cross-attention mask broadcastable to {@code (B, heads, N, M)}, or null
     * @return {@code (B, N, W)}
     */
    public NDArray apply(ParameterStore store, NDArray x, NDArray selfMask, NDArray context, NDArray contextMask,
            boolean training) {
        x = x.add(selfAttention.apply(store, selfNorm.apply(store, x, training), null, selfMask, training));
        if (crossAttention != null) {
            x = x.add(crossAttention.apply(store, crossNorm.apply(store, x, training), context, contextMask, training));
        }
        return x.add(mlp.apply(store, mlpNorm.apply(store, x, training), training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (crossAttention != null && inputs.size() < 2) {
            throw new IllegalArgumentException("a cross-attending layer takes (x, context), got " + inputs.size()
                    + " array(s)");
        }
        return new NDList(apply(store, inputs.get(0), null, crossAttention != null ? inputs.get(1) : null, null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        selfNorm.initialize(manager, dataType, x);
        selfAttention.initialize(manager, dataType, x);
        if (crossAttention != null) {
            Shape context = inputShapes.length > 1 ? inputShapes[1] : new Shape(x.get(0), 1, contextWidth);
            crossNorm.initialize(manager, dataType, x);
            crossAttention.initialize(manager, dataType, x, context);
        }
        mlpNorm.initialize(manager, dataType, x);
        mlp.initialize(manager, dataType, x);
    }
}
