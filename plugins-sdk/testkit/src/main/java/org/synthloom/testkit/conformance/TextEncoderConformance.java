package org.synthloom.testkit.conformance;

import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.TextEncoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * {@link EncoderConformance} for a {@link TextEncoder}: the inputs are {@code text_tokens} and
 * {@code text_mask}, int32 {@code (B, context)}, as the engine's batches carry them (start token 1,
 * then ids, end token 2, then padding 0; captions of different lengths).
 */
public abstract class TextEncoderConformance extends EncoderConformance {

    /**
     * @return the encoder under test, configured
     * @throws Exception if it cannot be made
     */
    protected abstract TextEncoder encoder() throws Exception;

    @Override
    protected int declaredWidth() throws Exception {
        return encoder().outputDim();
    }

    @Override
    protected Block newBlock(DataSpec spec) throws Exception {
        return encoder().newBlock(spec);
    }

    @Override
    protected NDList inputs(NDManager m, DataSpec spec, int batch) {
        int t = spec.contextLength();
        int[] ids = new int[batch * t];
        int[] mask = new int[batch * t];
        java.util.Random random = new java.util.Random(batch);
        for (int i = 0; i < batch; i++) {
            int length = 3 + random.nextInt(Math.max(1, t - 2));
            for (int j = 0; j < t && j < length; j++) {
                ids[i * t + j] = j == 0 ? 1 : j == length - 1 ? 2 : 3 + random.nextInt(spec.vocabularySize() - 3);
                mask[i * t + j] = 1;
            }
        }
        NDArray tokens = m.create(ids, new Shape(batch, t));
        NDArray masks = m.create(mask, new Shape(batch, t));
        tokens.setName("text_tokens");
        masks.setName("text_mask");
        return new NDList(tokens, masks);
    }
}
