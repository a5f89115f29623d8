package org.synthloom.api.generate;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Sample;

/**
 * Rewrites the captions of existing image-text samples (CLIPS's recaptioning: a caption generator
 * conditioned on the image and its web caption). Registered with {@code synthloom.kind=recaptioner}.
 * A pipeline with a recaptioner adds the rewritten caption to each human training sample.
 *
 * <p>Implementations read each sample's image as the pipeline prepared it (VQ tokens when the
 * pipeline has an image tokenizer, resized pixels) and its first caption, the one it rewrites;
 * they are deterministic for a given seed and independent of how the samples are batched, and
 * answer with exactly one caption per sample, in order, whose provenance is synthetic and names the
 * recaptioner. A recaptioner that learns is also a {@link org.synthloom.api.train.Fittable} and is
 * fitted on the human training data before it serves.
 *
 * @since 1.1
 */
@ConsumerType
public interface Recaptioner {

    /** The {@code synthloom.kind} of recaptioners. */
    String KIND = "recaptioner";

    /**
     * Writes a new caption for each sample.
     *
     * @param samples samples with an image and at least one caption
     * @param seed the seed of any random choice; the same samples and seed give the same captions
     * @return one caption per sample, in order
     * @throws GenerationException if the recaptioner cannot answer (not fitted, a sample without
     *     what it reads); the message says why and names the sample
     */
    List<Caption> recaption(List<Sample> samples, long seed) throws GenerationException;
}
