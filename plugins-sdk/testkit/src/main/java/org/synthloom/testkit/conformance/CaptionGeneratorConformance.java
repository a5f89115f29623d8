package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

/**
 * The contract of a {@link CaptionGenerator}: exactly {@code concepts x captionsPerConcept}
 * captions, grouped by concept in request order; the same captions for the same seed and other
 * captions for another seed; every caption synthetic, naming its generator, version and seed.
 */
public abstract class CaptionGeneratorConformance {

    /**
     * @return the generator under test, configured (for example with
     *     {@link org.synthloom.testkit.Configs})
     * @throws Exception if it cannot be made
     */
    protected abstract CaptionGenerator generator() throws Exception;

    /** @return the concepts asked for; by default three shapes-world concepts with attributes */
    protected List<Concept> concepts() {
        return List.of(new Concept("red circle", Map.of("colour", "red", "shape", "circle")),
                new Concept("blue square", Map.of("colour", "blue", "shape", "square")),
                new Concept("green triangle", Map.of("colour", "green", "shape", "triangle")));
    }

    /** @return captions asked per concept; 4 by default */
    protected int captionsPerConcept() {
        return 4;
    }

    /** @return in-context demonstrations given with the request; none by default */
    protected List<String> demonstrations() {
        return List.of();
    }

    private List<GeneratedCaption> generate(long seed) throws Exception {
        List<GeneratedCaption> captions = generator().generate(
                new CaptionRequest(concepts(), captionsPerConcept(), seed, demonstrations()));
        assertNotNull(captions, "generate returned null");
        return captions;
    }

    /** Exactly the count asked for, concept by concept in request order. */
    @Test
    public void returnsExactlyTheCountAskedForGroupedByConceptInRequestOrder() throws Exception {
        List<Concept> concepts = concepts();
        int per = captionsPerConcept();
        List<GeneratedCaption> captions = generate(7);
        assertEquals(concepts.size() * per, captions.size(),
                "captions for " + concepts.size() + " concepts x " + per + " per concept");
        for (int i = 0; i < captions.size(); i++) {
            assertEquals(concepts.get(i / per), captions.get(i).concept(),
                    "caption " + i + " belongs to concept " + (i / per) + " (grouped by concept, in request order)");
        }
    }

    /** The count follows the request: one caption per concept when one is asked. */
    @Test
    public void honoursAnotherCount() throws Exception {
        List<Concept> one = concepts().subList(0, 1);
        List<GeneratedCaption> captions = generator().generate(new CaptionRequest(one, 1, 3, demonstrations()));
        assertEquals(1, captions.size(), "one concept, one caption asked");
        assertEquals(one.get(0), captions.get(0).concept());
    }

    /** The same request and seed give the same captions, provenance included. */
    @Test
    public void isDeterministicForASeed() throws Exception {
        assertEquals(generate(11), generate(11), "two requests with seed 11 must give the same captions");
        assertEquals(generate(11), generator().generate(
                new CaptionRequest(concepts(), captionsPerConcept(), 11, demonstrations())),
                "a second instance of the generator with seed 11 must give the same captions");
    }

    /** Another seed gives other captions (at least one differs). */
    @Test
    public void anotherSeedGivesOtherCaptions() throws Exception {
        List<String> a = generate(11).stream().map(c -> c.caption().text()).toList();
        List<String> b = generate(12).stream().map(c -> c.caption().text()).toList();
        assertNotEquals(a, b, "seeds 11 and 12 gave the same caption texts");
    }

    /** Every caption is synthetic and says which generator, version and seed made it. */
    @Test
    public void provenanceIsSyntheticWithGeneratorVersionAndSeed() throws Exception {
        for (GeneratedCaption c : generate(5)) {
            Provenance p = c.caption().provenance();
            assertTrue(p.isSynthetic(), "caption '" + c.caption().text() + "' has provenance " + p + ", not synthetic");
            assertFalse(p.source().isBlank(), "provenance names no generator: " + p);
            assertTrue(p.seed().isPresent(), "provenance carries no seed: " + p);
            assertFalse(c.caption().text().isBlank(), "blank caption");
        }
    }
}
