package org.synthloom.models.internal;

import org.synthloom.models.nn.Params;
import org.synthloom.models.nn.Tensors;
import java.util.List;

import org.synthloom.api.model.Fields;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The block of the {@code token-embed} encoder: VQ codebook ids on a square grid to a sequence.
 *
 * <p>Forward input: {@code NDList(tokens)}, int32/int64 {@code (B, G * G)} in row-major grid order,
 * each id in {@code [0, codebook)} (an id outside it fails in the engine's embedding lookup).
 * Output: the code embeddings plus learned 2-D positions, {@code (B, G * G, W)}; pooled, their mean
 * {@code (B, W)}. The position of cell {@code (r, c)} is {@code row[r] + column[c]}: factorised, so
 * it knows rows and columns as such and has {@code 2 G W} parameters instead of {@code G^2 W}.
 */
final class TokenGridEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int grid;
    private final int width;
    private final boolean pooled;
    private final Parameter codes;
    private final Parameter rows;
    private final Parameter columns;

    TokenGridEmbedding(int codebookSize, int grid, int width, boolean pooled) {
        super(VERSION);
        this.grid = grid;
        this.width = width;
        this.pooled = pooled;
        codes = addParameter(Params.normal("code_embedding", 0.02f, codebookSize, width));
        rows = addParameter(Params.normal("row_positions", 0.02f, grid, width));
        columns = addParameter(Params.normal("column_positions", 0.02f, grid, width));
        inputNames = List.of(Fields.IMAGE_TOKENS);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray tokens = inputs.head();
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2 || shape.get(1) != (long) grid * grid) {
            throw new IllegalArgumentException("the token embedding was built for " + grid + "x" + grid
                    + " grids, (B, " + grid * grid + ") ids, got " + shape);
        }
        Device device = tokens.getDevice();
        NDArray x = Embedding.embedding(tokens.toType(DataType.INT64, false), store.getValue(codes, device, training),
                SparseFormat.DENSE).singletonOrThrow();
        NDArray row = Tensors.local(store.getValue(rows, device, training).reshape(grid, 1, width), x);
        NDArray column = Tensors.local(store.getValue(columns, device, training).reshape(1, grid, width), x);
        long b = shape.get(0);
        x = x.reshape(b, grid, grid, width).add(row).add(column).reshape(b, (long) grid * grid, width);
        return new NDList(pooled ? x.mean(new int[] {1}) : x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {pooled ? new Shape(b, width) : new Shape(b, (long) grid * grid, width)};
    }
}
