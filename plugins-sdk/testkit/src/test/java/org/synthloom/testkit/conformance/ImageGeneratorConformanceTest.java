package org.synthloom.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;

import ai.djl.ndarray.NDManager;

/** The image generator suite passes a conforming fake and catches broken ones. */
class ImageGeneratorConformanceTest {

    /** 2x2 RGB noise from the seed, caption and image index; declares {@code declared}. */
    static class Fake implements ImageGenerator {
        final ImageSpace declared;
        final boolean ignoreSeed;

        Fake(ImageSpace declared, boolean ignoreSeed) {
            this.declared = declared;
            this.ignoreSeed = ignoreSeed;
        }

        @Override
        public ImageSpace outputSpace() {
            return declared;
        }

        @Override
        public List<Sample> generate(ImageRequest request, NDManager manager) {
            List<Sample> out = new ArrayList<>();
            for (int c = 0; c < request.captions().size(); c++) {
                GeneratedCaption caption = request.captions().get(c);
                for (int k = 0; k < request.imagesPerCaption(); k++) {
                    long seed = (ignoreSeed ? 0 : request.seed()) * 1000 + c * 10L + k;
                    byte[] rgb = new byte[12];
                    new SplittableRandom(seed).nextBytes(rgb);
                    out.add(Sample.builder("fake-" + c + "-" + k).pixels(new ImagePixels(2, 2, 3, rgb))
                            .imageProvenance(Provenance.synthetic("fake", "1.0.0", seed)).caption(caption.caption()).build());
                }
            }
            return out;
        }
    }

    /** The suite over a generator. */
    static class Suite extends ImageGeneratorConformance {
        final ImageGenerator generator;

        Suite(ImageGenerator generator) {
            this.generator = generator;
        }

        @Override
        protected ImageGenerator generator() {
            return generator;
        }
    }

    @Test
    void aConformingGeneratorPassesEveryTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(ImageSpace.PIXELS, false)));
        assertEquals(5, results.size(), results.keySet().toString());
        assertEquals("", Suites.failures(results));
    }

    @Test
    void aGeneratorThatDeclaresTokensButEmitsPixelsFailsTheSpaceTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(ImageSpace.TOKENS, false)));
        assertInstanceOf(AssertionError.class, results.get("samplesCarryTheDeclaredOutputSpace"));
        assertNull(results.get("returnsImagesPerCaptionForEveryCaptionInOrder"));
    }

    @Test
    void aGeneratorThatIgnoresTheSeedFailsTheSeedTest() throws Exception {
        Map<String, Throwable> results = Suites.run(() -> new Suite(new Fake(ImageSpace.PIXELS, true)));
        assertInstanceOf(AssertionError.class, results.get("anotherSeedGivesOtherImages"));
        assertNull(results.get("isDeterministicForASeed"));
    }

    @Test
    void aGeneratorThatMakesOneImagePerCaptionFailsTheCount() throws Exception {
        ImageGenerator one = new Fake(ImageSpace.PIXELS, false) {
            @Override
            public List<Sample> generate(ImageRequest request, NDManager manager) {
                return super.generate(new ImageRequest(request.captions(), 1, request.seed()), manager);
            }
        };
        Map<String, Throwable> results = Suites.run(() -> new Suite(one));
        assertInstanceOf(AssertionError.class, results.get("returnsImagesPerCaptionForEveryCaptionInOrder"));
    }
}
