package org.synthloom.captionlm.internal;

import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.model.Fields;
import org.synthloom.models.nn.AttentionMasks;
import org.synthloom.models.nn.Dense;
import org.synthloom.models.nn.Norm;
import org.synthloom.models.nn.Params;
import org.synthloom.models.nn.TokenEmbedding;
import org.synthloom.models.nn.TransformerBlock;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The caption language model: a decoder-only causal transformer whose sequence is
 * {@code [class token][start, caption tokens..., end]}.
 *
 * <p>The class token is a learned embedding per class (the human data's class names, plus one
 * for "unknown": unlabelled samples and concepts that are not a class); the caption tokens get a
 * token embedding plus learned positions ({@link TokenEmbedding}). Then {@code depth} pre-LN
 * {@link TransformerBlock}s with causal self-attention, a final LayerNorm and the output layer tied
 * to the token embedding. Position {@code t} predicts the token at sequence position {@code t + 1}
 * from positions {@code 0..t}, so padding after the end token never influences a real position and
 * needs no key mask.
 *
 * <p>Training forward: {@code NDList(text_tokens, text_mask, labels)} as the batch builder makes them
 * ({@code (B, T)} {@code start, tokens..., end, pad...}, its mask, {@code (B)} class index or
 * {@code -1}). With {@code L = min(T, context)}, the model reads the class token and the first
 * {@code L - 1} caption tokens and returns {@code caption_logits} {@code (B, L, V)} and
 * {@code caption_targets} int64 {@code (B, L)}: the caption token at each position, {@code -1} at
 * position 0 (the class token's successor is always the start token: nothing to learn) and at
 * padding.
 */
final class CaptionLmBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int context;
    private final int width;
    private final int classes;
    private final int vocabularySize;
    private final Parameter classEmbedding;
    private final TokenEmbedding embedding;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final AttentionMasks masks = new AttentionMasks();

    /**
     * @param architecture sizes; {@code classes} includes the "unknown" class
     */
    CaptionLmBlock(Architecture architecture) {
        super(VERSION);
        this.context = architecture.context();
        this.width = architecture.width();
        this.classes = architecture.classes();
        this.vocabularySize = architecture.vocabularySize();
        classEmbedding = addParameter(Params.normal("class_embedding", 0.02f, classes, width));
        // The class token takes no position: it is always first, and causal attention tells it apart.
        embedding = addChildBlock("embedding", new TokenEmbedding(vocabularySize, context - 1, width));
        for (int i = 0; i < architecture.depth(); i++) {
            layers.add(addChildBlock("layer", new TransformerBlock(width, architecture.heads(), 4 * width, 0)));
        }
        finalNorm = addChildBlock("final_norm", new Norm(width));
    }

    /** The sizes that define the block; what the saved model records. */
    record Architecture(int vocabularySize, int classes, int width, int depth, int heads, int context) {}

    /** @return the number of classes, the unknown one included; its index is {@code classes - 1} */
    int classes() {
        return classes;
    }

    /** @return the longest sequence, class token included */
    int context() {
        return context;
    }

    /**
     * The final hidden states of a sequence of class token then caption tokens.
     *
     * @param classIds {@code (B)} int64 class indices in {@code [0, classes)}
     * @param ids {@code (B, N)} caption token ids, {@code N <= context - 1}
     * @return {@code (B, N + 1, W)} after the final LayerNorm
     */
    private NDArray hidden(ParameterStore store, NDArray classIds, NDArray ids, boolean training) {
        Device device = ids.getDevice();
        NDArray tokens = embedding.apply(store, ids, null, training);
        NDArray table = store.getValue(classEmbedding, device, training);
        NDArray classToken = Embedding.embedding(classIds, table, SparseFormat.DENSE).singletonOrThrow().expandDims(1);
        NDArray x = classToken.concat(tokens, 1);
        NDArray causal = masks.causal(x.getShape().get(1), embedding.owner(store, device, training));
        for (TransformerBlock layer : layers) {
            x = layer.apply(store, x, causal, null, null, training);
        }
        return finalNorm.apply(store, x, training);
    }

    /**
     * The next-token logits after each prefix, for sampling.
     *
     * @param classIds {@code (B)} int64 class indices
     * @param prefix {@code (B, N)} int64 caption tokens so far (start token first), {@code N <= context - 1}
     * @return {@code (B, V)}: the logits of the token that follows each prefix
     */
    NDArray nextLogits(ParameterStore store, NDArray classIds, NDArray prefix) {
        NDArray h = hidden(store, classIds, prefix, false);
        // Only the last position is read: projecting it alone saves (N) x V work per step.
        NDArray last = h.get(new NDIndex(":, -1"));
        return Dense.apply(last, embedding.table(store, h.getDevice(), false), null);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException("the caption language model reads (" + Fields.TEXT_TOKENS + ", "
                    + Fields.TEXT_MASK + ", " + Fields.LABELS + "), got " + inputs.size() + " array(s)");
        }
        NDArray tokens = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray labels = inputs.get(2);
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2 || shape.get(1) < 2 || !mask.getShape().equals(shape)
                || !labels.getShape().equals(new Shape(shape.get(0)))) {
            throw new IllegalArgumentException("the caption language model needs " + Fields.TEXT_TOKENS + " and "
                    + Fields.TEXT_MASK + " (B, T) with T >= 2 and " + Fields.LABELS + " (B), got " + shape + ", "
                    + mask.getShape() + " and " + labels.getShape());
        }
        long length = Math.min(shape.get(1), context);
        NDArray ids = tokens.get(new NDIndex().addAllDim().addSliceDim(0, length - 1)).toType(DataType.INT64, false);
        NDArray logits = Dense.apply(hidden(store, classIds(labels), ids, training),
                embedding.table(store, tokens.getDevice(), training), null);
        logits.setName(Fields.CAPTION_LOGITS);

        NDIndex head = new NDIndex().addAllDim().addSliceDim(0, length);
        NDArray next = tokens.get(head).toType(DataType.INT64, false);
        NDArray real = mask.get(head).toType(DataType.INT64, false);
        // next * m + (m - 1): the token where the mask is 1, -1 at padding.
        NDArray targets = next.mul(real).add(real.sub(1));
        targets.set(new NDIndex(":, 0"), -1);
        targets.setName(Fields.CAPTION_TARGETS);
        return new NDList(logits, targets);
    }

    /** Labels to class indices: {@code -1} (no label, or not a class) becomes the unknown class. */
    private NDArray classIds(NDArray labels) {
        NDArray l = labels.toType(DataType.INT64, false);
        // l + (l < 0) * classes: -1 becomes classes - 1, the unknown class.
        return l.add(l.lt(0).toType(DataType.INT64, false).mul(classes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[0];
        long length = Math.min(tokens.get(1), context);
        return new Shape[] {new Shape(tokens.get(0), length, vocabularySize), new Shape(tokens.get(0), length)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        long length = Math.min(tokens.get(1), context);
        embedding.initialize(manager, dataType, new Shape(tokens.get(0), length - 1));
        Shape x = new Shape(tokens.get(0), length, width);
        for (TransformerBlock layer : layers) {
            layer.initialize(manager, dataType, x);
        }
        finalNorm.initialize(manager, dataType, x);
    }
}
