package ${package};

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Token embeddings averaged over the real tokens: inputs {@code text_tokens} and {@code text_mask}
 * {@code (B, T)}, output {@code (B, width)}. The table is a registered parameter, so DJL's
 * parameter store, optimizers and checkpoints see it.
 */
final class MeanEmbeddingBlock extends AbstractBlock {

    private final int vocabulary;
    private final int width;
    private final Parameter table;

    MeanEmbeddingBlock(int vocabulary, int width) {
        super((byte) 1);
        this.vocabulary = vocabulary;
        this.width = width;
        this.table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabulary, width)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.get(0);
        NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false).expandDims(2);
        NDArray weights = store.getValue(table, tokens.getDevice(), training);
        // One-hot times the table is a lookup that autograd differentiates; fine at plugin-example sizes.
        NDArray embedded = tokens.toType(DataType.INT64, false).clip(0, vocabulary - 1).oneHot(vocabulary)
                .toType(DataType.FLOAT32, false).matMul(weights);
        NDArray pooled = embedded.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
        return new NDList(pooled);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }
}
