package org.synthloom.models.internal;

import org.synthloom.models.nn.AttentionMasks;
import org.synthloom.models.nn.Norm;
import org.synthloom.models.nn.TokenEmbedding;
import org.synthloom.models.nn.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.model.Fields;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The block of the {@code transformer-text} encoder.
 *
 * <p>Forward input: {@code NDList(tokens, mask)}, both {@code (B, T)} with {@code T <= context}:
 * token ids (int32 or int64) and the padding mask ({@link Fields#TEXT_MASK}: 1 at real tokens, 0
 * at padding, any numeric type). Output: {@code NDList(features)}, float32 {@code (B, W)}.
 *
 * <p>Token embedding plus the first {@code T} learned positions, {@code depth} pre-LayerNorm
 * {@link TransformerBlock}s whose self-attention masks padded keys (and, when causal, future
 * positions), a final LayerNorm, then pooling: the last real token (the highest position whose
 * mask is 1, CLIP's end-of-text pooling), the mean of the real tokens, or the first token. Padded
 * positions therefore never reach the features, whatever their ids.
 */
final class TextTransformer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final boolean causal;
    private final TextPooling pooling;
    private final TokenEmbedding embedding;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final AttentionMasks masks = new AttentionMasks();

    TextTransformer(int vocabularySize, int context, int width, int depth, int heads, int hidden, boolean causal,
            TextPooling pooling) {
        super(VERSION);
        this.width = width;
        this.causal = causal;
        this.pooling = pooling;
        embedding = addChildBlock("embedding", new TokenEmbedding(vocabularySize, context, width));
        for (int i = 0; i < depth; i++) {
            layers.add(addChildBlock("layer", new TransformerBlock(width, heads, hidden, 0)));
        }
        finalNorm = addChildBlock("final_norm", new Norm(width));
        inputNames = List.of(Fields.TEXT_TOKENS, Fields.TEXT_MASK);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("the text encoder takes (tokens, mask), got " + inputs.size() + " array(s)");
        }
        NDArray mask = inputs.get(1);
        NDArray x = sequence(store, inputs.get(0), mask, training);
        return new NDList(switch (pooling) {
            case LAST -> {
                // The highest position whose mask is 1: argmax of mask * (1..T); gather its row.
                long b = x.getShape().get(0);
                long t = x.getShape().get(1);
                NDManager owner = embedding.owner(store, x.getDevice(), training);
                NDArray last = mask.toType(DataType.FLOAT32, false).mul(masks.ramp(t, owner)).argMax(1)
                        .reshape(b, 1, 1).broadcast(b, 1, width);
                yield finalNorm.apply(store, x.gather(last, 1).reshape(b, width), training);
            }
            case FIRST -> finalNorm.apply(store, x.get(new NDIndex().addAllDim().addIndices(0)), training);
            case MEAN -> {
                // (B, 1, T) weights mask / count, times (B, T, W): the masked mean as one batched product.
                NDArray m = mask.toType(DataType.FLOAT32, false);
                NDArray weights = m.div(m.sum(new int[] {1}, true).maximum(1f)).expandDims(1);
                yield weights.matMul(finalNorm.apply(store, x, training)).squeeze(1);
            }
        });
    }

    /**
     * The encoded sequence before the final LayerNorm and pooling.
     *
     * @return {@code (B, T, W)}
     */
    NDArray sequence(ParameterStore store, NDArray tokens, NDArray mask, boolean training) {
        NDArray x = embedding.apply(store, tokens, mask, training);
        Device device = x.getDevice();
        NDArray bias = masks.selfAttention(mask, causal, x.getShape().get(1), embedding.owner(store, device, training));
        for (TransformerBlock layer : layers) {
            x = layer.apply(store, x, bias, null, null, training);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, inputShapes[0]);
        Shape sequence = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width);
        for (TransformerBlock layer : layers) {
            layer.initialize(manager, dataType, sequence);
        }
        finalNorm.initialize(manager, dataType, sequence);
    }
}
