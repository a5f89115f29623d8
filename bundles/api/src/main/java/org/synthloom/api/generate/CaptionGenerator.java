package org.synthloom.api.generate;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes captions for concepts. Registered with {@code synthloom.kind=caption-generator}.
 *
 * <p>Implementations are deterministic for a request's seed and return exactly
 * {@code concepts.size() * captionsPerConcept} captions, grouped by concept in request order.
 */
@ConsumerType
public interface CaptionGenerator {

    /** The {@code synthloom.kind} of caption generators. */
    String KIND = "caption-generator";

    /**
     * Generates captions.
     *
     * @param request the concepts, count and seed
     * @return the captions, concept by concept
     * @throws GenerationException if the generator cannot answer (a backend down, a model missing);
     *     the message says why
     */
    List<GeneratedCaption> generate(CaptionRequest request) throws GenerationException;
}
