package org.synthloom.api.model;

import org.osgi.annotation.versioning.ConsumerType;
import org.synthloom.api.data.ImageSpace;

import ai.djl.nn.Block;

/**
 * A factory of image encoder blocks (a ViT over pixels, an embedding over VQ tokens, a VQ-GAN
 * encoder). Registered with {@code synthloom.kind=image-encoder}.
 *
 * <p>The block maps {@code (B, C, H, W)} images, or {@code (B, N)} token ids when
 * {@link #inputSpace()} is {@link ImageSpace#TOKENS}, to features {@code (B, outputDim())} or
 * sequences {@code (B, N, outputDim())}.
 */
@ConsumerType
public interface ImageEncoder {

    /** The {@code synthloom.kind} of image encoders. */
    String KIND = "image-encoder";

    /** @return the space the encoder reads */
    ImageSpace inputSpace();

    /** @return the width of the features it produces */
    int outputDim();

    /**
     * Creates a new, uninitialised block for data of the given shape. Each call returns a fresh
     * block with its own parameters.
     *
     * @param spec the data shapes
     * @return the encoder block
     */
    Block newBlock(DataSpec spec);
}
