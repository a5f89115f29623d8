package org.synthloom.api.generate;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Sample;

import ai.djl.ndarray.NDManager;

/**
 * Makes images for captions. Registered with {@code synthloom.kind=image-generator}.
 *
 * <p>The generator declares the space it emits: a Synth2-style generator emits
 * {@link ImageSpace#TOKENS} (VQ codebook indices) and never touches pixels; a pixel generator
 * emits {@link ImageSpace#PIXELS}. Each returned {@link Sample} carries its image in at least the
 * declared space, the caption it illustrates, and synthetic provenance with the seed used.
 */
@ConsumerType
public interface ImageGenerator {

    /** The {@code synthloom.kind} of image generators. */
    String KIND = "image-generator";

    /** @return the space every generated image is present in */
    ImageSpace outputSpace();

    /**
     * Generates images.
     *
     * @param request the captions, count per caption and seed
     * @param manager where to allocate tensors; the caller closes it, so the generator need not
     *     free what it allocates there. Its device is the one the pipeline chose.
     * @return {@code captions.size() * imagesPerCaption} samples, caption by caption
     * @throws GenerationException if the generator cannot answer; the message says why
     */
    List<Sample> generate(ImageRequest request, NDManager manager) throws GenerationException;
}
