package org.synthloom.api.model;

import org.osgi.annotation.versioning.ConsumerType;

import ai.djl.nn.Block;

/**
 * A factory of text encoder blocks mapping token ids {@code (B, T)} to features
 * {@code (B, outputDim())} or sequences {@code (B, T, outputDim())}. Registered with
 * {@code synthloom.kind=text-encoder}.
 */
@ConsumerType
public interface TextEncoder {

    /** The {@code synthloom.kind} of text encoders. */
    String KIND = "text-encoder";

    /** @return the width of the features it produces */
    int outputDim();

    /**
     * Creates a new, uninitialised block for data of the given shape.
     *
     * @param spec the data shapes (vocabulary size, context length)
     * @return the encoder block
     */
    Block newBlock(DataSpec spec);
}
