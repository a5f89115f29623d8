package org.synthloom.models.internal;

import java.util.List;

import org.synthloom.api.model.Fields;
import org.synthloom.djl.Convolutions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The block of the {@code cnn-text} encoder.
 *
 * <p>Forward input: {@code NDList(tokens, mask)}, both {@code (B, T)}: token ids as int32 or
 * int64, and the padding mask ({@link Fields#TEXT_MASK}: 1 at real tokens, 0 at padding; any
 * numeric or boolean type). Output: {@code NDList(features)}, float32 {@code (B, width)}.
 *
 * <p>Embedding (V, E) -> Conv1d k=3 + ReLU -> Conv1d k=3 + ReLU -> max over time -> Linear.
 * Padding never reaches the features: its embeddings are zeroed before the convolutions (so the
 * pad ids do not matter, like the zero padding at the sequence ends) and its positions get a
 * large negative before the max, so they cannot win it. Any {@code T} works.
 */
final class TextCnnBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    /** Subtracted at padding positions before the max; far below any ReLU output. */
    private static final float PADDING_PENALTY = 1e4f;

    private final Parameter embedding;
    private final Block conv1;
    private final Block conv2;
    private final Block projection;

    TextCnnBlock(int vocabularySize, int embeddingDim, int convWidth, int width) {
        super(VERSION);
        embedding = addParameter(Parameter.builder()
                .setName("token_embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, embeddingDim))
                .build());
        conv1 = addChildBlock("conv1", conv(convWidth));
        conv2 = addChildBlock("conv2", conv(convWidth));
        projection = addChildBlock("projection", Linear.builder().setUnits(width).build());
        inputNames = List.of(Fields.TEXT_TOKENS, Fields.TEXT_MASK);
    }

    private static Block conv(int filters) {
        return Convolutions.conv1d(filters, 3, 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("the text encoder takes (tokens, mask), got " + inputs.size() + " array(s)");
        }
        NDArray tokens = inputs.get(0).toType(DataType.INT64, false);
        NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false);
        NDArray weight = parameterStore.getValue(embedding, tokens.getDevice(), training);
        // (B, T, E) with padding zeroed, then channels first for Conv1d: (B, E, T).
        NDArray x = Embedding.embedding(tokens, weight, SparseFormat.DENSE).singletonOrThrow()
                .mul(mask.expandDims(2))
                .transpose(0, 2, 1);
        x = Activation.relu(conv1.forward(parameterStore, new NDList(x), training, params).singletonOrThrow());
        x = Activation.relu(conv2.forward(parameterStore, new NDList(x), training, params).singletonOrThrow());
        // Masked max over time: (mask - 1) * penalty is 0 at real tokens and -penalty at padding.
        // The ReLU makes every real value >= 0, so clamping at 0 only matters for a caption with
        // no real token, whose features become 0 instead of -penalty. A ReLU, not maximum(0f): a
        // Number operand is a Java buffer autograd would keep for the backward pass.
        NDArray penalty = mask.sub(1f).mul(PADDING_PENALTY).expandDims(1);
        NDArray pooled = Activation.relu(x.add(penalty).max(new int[] {2}));
        return projection.forward(parameterStore, new NDList(pooled), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return projection.getOutputShapes(new Shape[] {pooledShape(inputShapes[0])});
    }

    /** The shape after max-pooling: (B, channels of the second convolution). */
    private Shape pooledShape(Shape tokens) {
        Shape x = conv1.getOutputShapes(new Shape[] {convInput(tokens)})[0];
        x = conv2.getOutputShapes(new Shape[] {x})[0];
        return new Shape(x.get(0), x.get(1));
    }

    /** The shape entering the first convolution: (B, E, T). */
    private Shape convInput(Shape tokens) {
        return new Shape(tokens.get(0), embedding.getShape().get(1), tokens.get(1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = convInput(inputShapes[0]);
        conv1.initialize(manager, dataType, x);
        conv2.initialize(manager, dataType, conv1.getOutputShapes(new Shape[] {x})[0]);
        projection.initialize(manager, dataType, pooledShape(inputShapes[0]));
    }
}
