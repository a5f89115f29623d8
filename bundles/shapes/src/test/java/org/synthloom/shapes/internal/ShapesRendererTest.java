package org.synthloom.shapes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.ImageRequest;

class ShapesRendererTest {

    private static final ShapesRenderer RENDERER =
            new ShapesRenderer(TestSupport.config(ShapesRendererConfig.class, Map.of()));

    private static GeneratedCaption caption(String concept, String text) {
        return new GeneratedCaption(Concept.of(concept), new Caption(text, Provenance.synthetic("class-prompt", "1", 1)));
    }

    @Test
    void drawsWhatTheCaptionSays() throws GenerationException {
        GeneratedCaption c = caption("blue star", "a large blue star on a dotted beige background");
        List<Sample> samples = RENDERER.generate(new ImageRequest(List.of(c), 4, 11), null);
        assertEquals(4, samples.size());
        for (Sample s : samples) {
            assertEquals(List.of("blue star"), s.labels());
            assertEquals(List.of(c.caption()), s.captions());
            String scene = s.metadata().get("scene");
            assertTrue(scene.startsWith("{\"background\":{\"texture\":\"dotted\",\"colour\":\"beige\"},"
                    + "\"objects\":[{\"shape\":\"star\",\"colour\":\"blue\",\"size\":\"large\""), scene);
            ImagePixels p = s.pixels().orElseThrow();
            assertEquals(64, p.width());
            double blue = TestSupport.countNear(p, Vocabulary.COLOURS.get("blue"), 60) / (64.0 * 64);
            assertTrue(blue > 0.05, "blue share " + blue);
        }
        assertEquals(4, samples.stream().map(s -> s.pixels().orElseThrow()).distinct().count());
    }

    @Test
    void answersCaptionByCaptionReproduciblyWithLegalIdsAndSyntheticProvenance() throws GenerationException {
        ImageRequest request = new ImageRequest(List.of(caption("red circle", "a red circle"),
                caption("green square", "a small green square to the left of a white hexagon"),
                caption("black diamond", "black diamond")), 3, 99);
        List<Sample> first = RENDERER.generate(request, null);
        assertEquals(first, RENDERER.generate(request, null));
        assertEquals(9, first.size());
        List<String> labels = first.stream().map(s -> s.labels().get(0)).toList();
        assertEquals(List.of("red circle", "red circle", "red circle", "green square", "green square", "green square",
                "black diamond", "black diamond", "black diamond"), labels);
        Set<String> ids = new HashSet<>();
        for (Sample s : first) {
            assertTrue(s.id().matches("gen-[0-9a-f]{16}"), s.id());
            ids.add(s.id());
            Provenance p = s.imageProvenance();
            assertTrue(p.isSynthetic());
            assertEquals("shapes-renderer", p.source());
            assertEquals("1.0.0", p.sourceVersion());
            assertEquals(String.format("gen-%016x", p.seed().getAsLong()), s.id());
            assertEquals(s, RENDERER.render(s.captions().get(0), p.seed().getAsLong()), "the seed reproduces the image");
        }
        assertEquals(9, ids.size());
        List<Sample> otherSeed = RENDERER.generate(new ImageRequest(request.captions(), 3, 100), null);
        for (int i = 0; i < 9; i++) {
            assertNotEquals(first.get(i).pixels(), otherSeed.get(i).pixels());
        }
        assertEquals(ImageSpace.PIXELS, RENDERER.outputSpace());
    }

    @Test
    void honoursRelationsAndPositions() {
        for (long seed = 0; seed < 40; seed++) {
            Scene left = draw("a red circle to the left of a green square", seed);
            assertEquals("red circle", left.concept());
            assertEquals("green square", left.objects().get(1).concept());
            assertTrue(left.main().x() < left.objects().get(1).x(), left.toJson());
            assertEquals("left of", left.relation().orElseThrow());

            Scene under = draw("there is a star, coloured orange, under a purple hexagon", seed);
            assertEquals("orange star", under.concept());
            assertEquals("below", under.relation().orElseThrow());

            Scene corner = draw("a small yellow triangle in the top left corner", seed);
            assertEquals("top", Vocabulary.vertical(corner.main().y()), corner.toJson());
            assertEquals("left", Vocabulary.horizontal(corner.main().x()), corner.toJson());
            assertEquals("small", corner.main().size());
            assertEquals(1, corner.objects().size());

            Scene partner = draw("a white square above something", seed);
            assertEquals(2, partner.objects().size(), "a relation without a second object adds one");
            assertEquals("above", partner.relation().orElseThrow());
        }
    }

    @Test
    void fillsInWhatACaptionLeavesOpen() throws GenerationException {
        Set<String> labels = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            Sample s = RENDERER.render(new Caption("a photo of something nice", Provenance.human("x")), seed);
            assertTrue(Vocabulary.CONCEPTS.contains(s.labels().get(0)));
            labels.add(s.labels().get(0));
            assertTrue(draw("something purple", seed).concept().startsWith("purple "));
            assertTrue(draw("two hexagons", seed).concept().endsWith(" hexagon"));
        }
        assertTrue(labels.size() > 10, "random main objects: " + labels);
    }

    @Test
    void imageSizeComesFromTheConfiguration() throws GenerationException {
        ShapesRenderer small = new ShapesRenderer(TestSupport.config(ShapesRendererConfig.class, Map.of("image_size", 32)));
        Sample s = small.render(new Caption("red circle", Provenance.human("x")), 1);
        assertEquals(32, s.pixels().orElseThrow().width());
        assertEquals(32, s.pixels().orElseThrow().height());
    }

    private static Scene draw(String caption, long seed) {
        return SceneSampler.realise(CaptionParser.parse(caption), Integer.MAX_VALUE, new Rng(seed));
    }
}
