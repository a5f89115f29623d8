package org.synthloom.models.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * An image encoder block that exposes its patch features and can replace patches by a mask token
 * before encoding them: what masked image modelling ({@link MaskedImageModelling}) needs of the
 * student and of the teacher. Implemented by {@link VisionTransformer}.
 */
interface PatchEncoder extends Block {

    /** @return the number {@code N} of patch tokens per image (a class token not counted) */
    int patchCount();

    /** @return the width {@code W} of the patch features */
    int patchWidth();

    /**
     * Encodes images, optionally with some patches masked.
     *
     * @param store the parameter store of the forward pass
     * @param images float32 {@code (B, C, S, S)}
     * @param mask null for the full image, else float32 {@code (B, N)}, 1 where the patch embedding
     *     is replaced by {@code maskToken}, 0 elsewhere; no gradient
     * @param maskToken the learned embedding {@code (W)} of a masked patch; null when {@code mask} is
     * @param training whether this is a training pass
     * @return the patch tokens after the final LayerNorm, {@code (B, N, W)}, the class token left out
     */
    NDArray patchFeatures(ParameterStore store, NDArray images, NDArray mask, NDArray maskToken, boolean training);
}
