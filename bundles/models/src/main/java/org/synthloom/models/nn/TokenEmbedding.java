package org.synthloom.models.nn;

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
 * The input layer of the text transformers: token embedding {@code (V, W)} plus the first {@code T}
 * of {@code context} learned positions. Forward: {@code NDList(tokens)} {@code (B, T)} ids (int32 or
 * int64) to {@code (B, T, W)}.
 */
public final class TokenEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int context;
    private final int width;
    private final Parameter tokens;
    private final Parameter positions;

    public TokenEmbedding(int vocabularySize, int context, int width) {
        super(VERSION);
        this.context = context;
        this.width = width;
        tokens = addParameter(Params.normal("token_embedding", 0.02f, vocabularySize, width));
        positions = addParameter(Params.normal("positions", 0.01f, context, width));
    }

    /**
     * @param ids {@code (B, T)} with {@code T <= context}
     * @param mask the padding mask that goes with them, checked for its shape only
     * @return {@code (B, T, W)}
     * @throws IllegalArgumentException naming the shapes if they do not fit
     */
    public NDArray apply(ParameterStore store, NDArray ids, NDArray mask, boolean training) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2 || shape.get(1) > context || (mask != null && !mask.getShape().equals(shape))) {
            throw new IllegalArgumentException("expected token ids and mask (B, T) with T <= " + context + ", got " + shape
                    + (mask == null ? "" : " and " + mask.getShape()));
        }
        long t = shape.get(1);
        Device device = ids.getDevice();
        NDArray x = Embedding.embedding(ids.toType(DataType.INT64, false), table(store, device, training),
                SparseFormat.DENSE).singletonOrThrow();
        NDArray all = store.getValue(positions, device, training);
        return x.add(t == context ? all : Tensors.local(all.get(new NDIndex().addSliceDim(0, t)), x));
    }

    /** @return the token embedding table {@code (V, W)} (a tied output layer reads it too) */
    public NDArray table(ParameterStore store, Device device, boolean training) {
        return store.getValue(tokens, device, training);
    }

    /** @return the manager of the parameters, which lives as long as the model: where constant masks are cached */
    public NDManager owner(ParameterStore store, Device device, boolean training) {
        return store.getValue(positions, device, training).getManager();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(store, inputs.head(), null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width)};
    }
}
