package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.testkit.ClasspathDevices;

import ai.djl.ndarray.NDManager;

/**
 * The contract of an {@link ImageGenerator}: {@code captions x imagesPerCaption} samples, caption
 * by caption; every sample carries its image in the declared {@link ImageGenerator#outputSpace()},
 * the caption it illustrates and synthetic provenance with a seed; the same samples for the same
 * seed, others for another seed; ids unique.
 */
public abstract class ImageGeneratorConformance {

    private final ClasspathDevices devices = new ClasspathDevices();
    private final NDManager manager = devices.newManager(devices.defaultDevice());

    /**
     * @return the generator under test, configured
     * @throws Exception if it cannot be made
     */
    protected abstract ImageGenerator generator() throws Exception;

    /** @return the captions to illustrate; by default three shapes-world captions */
    protected List<GeneratedCaption> captions() {
        Provenance p = Provenance.synthetic("conformance", "1.0.0", 1);
        return List.of(new GeneratedCaption(Concept.of("red circle"), new Caption("a red circle", p)),
                new GeneratedCaption(Concept.of("blue square"), new Caption("a blue square", p)),
                new GeneratedCaption(Concept.of("green triangle"), new Caption("a green triangle", p)));
    }

    /** @return images per caption; 2 by default */
    protected int imagesPerCaption() {
        return 2;
    }

    /** Closes the tensor manager handed to the generator. */
    @AfterEach
    public void closeManager() {
        manager.close();
    }

    private List<Sample> generate(ImageGenerator generator, long seed) throws Exception {
        try (NDManager call = manager.newSubManager()) {
            List<Sample> samples = generator.generate(new ImageRequest(captions(), imagesPerCaption(), seed), call);
            assertNotNull(samples, "generate returned null");
            return samples;
        }
    }

    /** {@code captions x imagesPerCaption} samples, caption by caption, each with its caption. */
    @Test
    public void returnsImagesPerCaptionForEveryCaptionInOrder() throws Exception {
        List<GeneratedCaption> captions = captions();
        int per = imagesPerCaption();
        List<Sample> samples = generate(generator(), 3);
        assertEquals(captions.size() * per, samples.size(), captions.size() + " captions x " + per + " images per caption");
        for (int i = 0; i < samples.size(); i++) {
            String expected = captions.get(i / per).caption().text();
            List<String> texts = samples.get(i).captions().stream().map(Caption::text).toList();
            assertTrue(texts.contains(expected), "sample " + i + " should carry caption '" + expected + "' (caption by caption), has " + texts);
        }
    }

    /** Every sample has its image in the declared output space: the declaration is truthful. */
    @Test
    public void samplesCarryTheDeclaredOutputSpace() throws Exception {
        ImageGenerator generator = generator();
        ImageSpace space = generator.outputSpace();
        assertNotNull(space, "outputSpace() is null");
        for (Sample s : generate(generator, 3)) {
            assertTrue(s.hasImage(space), "sample " + s.id() + " declares " + space + " but has no image there: " + s);
        }
    }

    /** Images are synthetic, with the generator's name and the seed that reproduces them; ids are unique. */
    @Test
    public void samplesAreSyntheticWithASeedAndUniqueIds() throws Exception {
        Set<String> ids = new HashSet<>();
        for (Sample s : generate(generator(), 3)) {
            Provenance p = s.imageProvenance();
            assertTrue(p.isSynthetic(), "sample " + s.id() + " image provenance " + p + " is not synthetic");
            assertTrue(p.seed().isPresent(), "sample " + s.id() + " image provenance " + p + " has no seed");
            assertTrue(ids.add(s.id()), "sample id " + s.id() + " is repeated");
        }
    }

    /** The same request and seed give the same samples. */
    @Test
    public void isDeterministicForASeed() throws Exception {
        assertEquals(generate(generator(), 9), generate(generator(), 9), "two requests with seed 9 gave different samples");
    }

    /** Another seed gives other images. */
    @Test
    public void anotherSeedGivesOtherImages() throws Exception {
        ImageGenerator generator = generator();
        ImageSpace space = generator.outputSpace();
        List<Object> a = generate(generator, 9).stream().map(s -> image(s, space)).toList();
        List<Object> b = generate(generator, 10).stream().map(s -> image(s, space)).toList();
        assertNotEquals(a, b, "seeds 9 and 10 gave the same images");
    }

    private static Object image(Sample s, ImageSpace space) {
        return switch (space) {
            case PIXELS -> s.pixels().orElse(null);
            case TOKENS -> s.tokens().orElse(null);
            case EMBEDDINGS -> s.embedding().orElse(null);
        };
    }
}
