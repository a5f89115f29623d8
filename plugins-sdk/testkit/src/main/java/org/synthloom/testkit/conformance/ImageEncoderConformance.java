package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.ImageEncoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * {@link EncoderConformance} for an {@link ImageEncoder}: the inputs follow its declared
 * {@link ImageEncoder#inputSpace()}: {@code (B, C, S, S)} float images for pixels,
 * {@code (B, grid * grid)} int32 ids within the codebook for tokens.
 */
public abstract class ImageEncoderConformance extends EncoderConformance {

    /**
     * @return the encoder under test, configured
     * @throws Exception if it cannot be made
     */
    protected abstract ImageEncoder encoder() throws Exception;

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
        ImageSpace space;
        try {
            space = encoder().inputSpace();
        } catch (Exception e) {
            throw new IllegalStateException("encoder() failed", e);
        }
        if (space == ImageSpace.PIXELS) {
            return new NDList(m.randomNormal(new Shape(batch, spec.channels(), spec.imageSize(), spec.imageSize())));
        }
        if (space == ImageSpace.TOKENS) {
            int n = spec.tokenGridSize() * spec.tokenGridSize();
            return new NDList(m.randomInteger(0, spec.codebookSize(), new Shape(batch, n), DataType.INT32));
        }
        throw new UnsupportedOperationException("the suite has no default input for " + space + ": override inputs()");
    }

    /** The encoder declares the space it reads. */
    @Test
    public void declaresItsInputSpace() throws Exception {
        if (encoder().inputSpace() == null) {
            fail("inputSpace() is null");
        }
    }
}
