package org.synthloom.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.TokenGrid;

import ai.djl.ndarray.NDManager;

/**
 * Turns images into grids of discrete codebook indices and back: a VQ-GAN, the image side of
 * Synth2. Registered with {@code synthloom.kind=image-encoder} (it is an image encoder whose output
 * is discrete) under this interface; a pipeline names it with {@code image.tokenizer.target}.
 *
 * <p>A tokenizer that learns its codebook also implements {@link
 * org.synthloom.api.train.Fittable Fittable&lt;ImageTokenizer&gt;}: the engine fits it on the
 * pipeline's human images and uses the fitted instance; the registered, unfitted service then
 * throws {@link IllegalStateException} from {@link #encode} and {@link #decode}.
 */
@ConsumerType
public interface ImageTokenizer {

    /** The {@code synthloom.kind} of image tokenizers: they are image encoders. */
    String KIND = ImageEncoder.KIND;

    /** @return the number of codes; every token id is in {@code [0, codebookSize())} */
    int codebookSize();

    /**
     * @param imageSize side of square input images in pixels
     * @return the side of the token grid such images give
     * @throws IllegalArgumentException if the tokenizer cannot read images of that size
     */
    int gridSize(int imageSize);

    /**
     * Encodes images.
     *
     * @param images square images of one size, any channel count (grey is replicated)
     * @param manager where to allocate tensors; the caller closes it
     * @return one grid per image, in order, naming this tokenizer's codebook
     * @throws IllegalStateException if the tokenizer has not learnt a codebook yet
     */
    List<TokenGrid> encode(List<ImagePixels> images, NDManager manager);

    /**
     * Decodes token grids to RGB images.
     *
     * @param grids grids of this tokenizer's codebook
     * @param manager where to allocate tensors; the caller closes it
     * @return one 3-channel image per grid, in order
     * @throws IllegalArgumentException if a grid names another codebook
     * @throws IllegalStateException if the tokenizer has not learnt a codebook yet
     */
    List<ImagePixels> decode(List<TokenGrid> grids, NDManager manager);
}
