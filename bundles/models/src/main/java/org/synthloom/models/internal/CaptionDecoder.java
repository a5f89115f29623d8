package org.synthloom.models.internal;

import org.synthloom.models.nn.AttentionMasks;
import org.synthloom.models.nn.Dense;
import org.synthloom.models.nn.Norm;
import org.synthloom.models.nn.Params;
import org.synthloom.models.nn.TokenEmbedding;
import org.synthloom.models.nn.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A causal transformer language model over caption tokens that cross-attends to a sequence of
 * latents (the Perceiver Resampler's output): the caption decoder of the {@code captioner} recipe.
 *
 * <p>Token embedding plus learned positions, {@code depth} {@link TransformerBlock}s with causal,
 * key-padding-masked self-attention and cross-attention to the latents, a final LayerNorm, and the
 * output layer: tied (the token embedding's transpose, no bias) or untied (its own Linear with a
 * bias). Position {@code t}'s logits depend on tokens {@code 0..t} and the latents only.
 *
 * <p>Block forward: {@code NDList(tokens, mask, latents)}: {@code (B, T)} ids, {@code (B, T)} mask
 * (1 at real tokens), {@code (B, L, W)}; output the logits {@code (B, T, V)}.
 */
final class CaptionDecoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final int vocabularySize;
    private final TokenEmbedding embedding;
    private final Parameter outputWeight;
    private final Parameter outputBias;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final AttentionMasks masks = new AttentionMasks();

    CaptionDecoder(int vocabularySize, int context, int width, int depth, int heads, int hidden, boolean tied) {
        super(VERSION);
        this.width = width;
        this.vocabularySize = vocabularySize;
        embedding = addChildBlock("embedding", new TokenEmbedding(vocabularySize, context, width));
        outputWeight = tied ? null : addParameter(Params.weight("output_weight", vocabularySize, width));
        outputBias = tied ? null : addParameter(Params.bias("output_bias", vocabularySize));
        for (int i = 0; i < depth; i++) {
            layers.add(addChildBlock("layer", new TransformerBlock(width, heads, hidden, width)));
        }
        finalNorm = addChildBlock("final_norm", new Norm(width));
    }

    /**
     * @param tokens {@code (B, T)} ids, {@code T <= context}
     * @param mask {@code (B, T)}, 1 at real tokens, 0 at padding
     * @param latents {@code (B, L, W)}
     * @return next-token logits {@code (B, T, V)}
     */
    NDArray apply(ParameterStore store, NDArray tokens, NDArray mask, NDArray latents, boolean training) {
        NDArray x = embedding.apply(store, tokens, mask, training);
        Device device = x.getDevice();
        NDArray bias = masks.selfAttention(mask, true, x.getShape().get(1), embedding.owner(store, device, training));
        for (TransformerBlock layer : layers) {
            x = layer.apply(store, x, bias, latents, null, training);
        }
        x = finalNorm.apply(store, x, training);
        return outputWeight == null ? Dense.apply(x, embedding.table(store, device, training), null)
                : Dense.apply(x, store.getValue(outputWeight, device, training),
                        store.getValue(outputBias, device, training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() < 3) {
            throw new IllegalArgumentException("the caption decoder takes (tokens, mask, latents), got " + inputs.size()
                    + " array(s)");
        }
        return new NDList(apply(store, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabularySize)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, inputShapes[0]);
        Shape x = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width);
        for (TransformerBlock layer : layers) {
            layer.initialize(manager, dataType, x, inputShapes[2]);
        }
        finalNorm.initialize(manager, dataType, x);
    }
}
