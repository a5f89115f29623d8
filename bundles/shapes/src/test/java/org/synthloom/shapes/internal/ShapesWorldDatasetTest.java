package org.synthloom.shapes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;

class ShapesWorldDatasetTest {

    private static final ShapesWorldDataset WORLD = new ShapesWorldDataset(WorldSettings.defaults());
    private static final List<Sample> TRAIN = new ArrayList<>();

    /** Reads the whole default train split once, timing it. */
    @BeforeAll
    static void readTrain() throws IOException {
        long start = System.nanoTime();
        try (SampleSource source = WORLD.open("train")) {
            for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                TRAIN.add(s.get());
            }
        }
        System.out.printf("shapes-world: %d train samples (64x64, rendered and captioned) in %d ms%n",
                TRAIN.size(), (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void offersThreeSplitsAndFortyEightConceptsColourMajor() {
        assertEquals(List.of("train", "val", "test"), WORLD.splits());
        List<String> names = WORLD.classNames();
        assertEquals(48, names.size());
        assertEquals(48, new HashSet<>(names).size());
        assertEquals(List.of("red circle", "red square", "red triangle", "red star", "red hexagon", "red diamond",
                "green circle"), names.subList(0, 7));
        assertEquals("black diamond", names.get(47));
    }

    @Test
    void sourceYieldsTheConfiguredNumberOfSamplesThenNothing() throws IOException {
        assertEquals(2000, TRAIN.size());
        assertEquals("shapes-train-000000", TRAIN.get(0).id());
        assertEquals("shapes-train-001999", TRAIN.get(1999).id());
        SampleSource source = WORLD.open("val");
        int n = 0;
        while (source.next().isPresent()) {
            n++;
        }
        assertEquals(200, n);
        assertTrue(source.next().isEmpty());
        source.close();
        assertThrows(IOException.class, source::next);
    }

    @Test
    void sampleIsAPureFunctionOfSeedSplitAndIndex() {
        ShapesWorldDataset again = new ShapesWorldDataset(WorldSettings.defaults());
        for (int i : new int[] {0, 42, 1999}) {
            Sample a = WORLD.sample("train", i);
            Sample b = again.sample("train", i);
            assertEquals(a, b); // id, pixels, captions, label, provenance, metadata
            assertEquals(TRAIN.get(i), a);
        }
        assertNotEquals(WORLD.sample("test", 5).pixels(), WORLD.sample("test", 6).pixels());
        assertNotEquals(WORLD.sample("test", 5).metadata().get("scene"), WORLD.sample("test", 6).metadata().get("scene"));

        WorldSettings d = WorldSettings.defaults();
        ShapesWorldDataset otherSeed = new ShapesWorldDataset(
                new WorldSettings(8, d.imageSize(), d.trainSize(), d.valSize(), d.testSize(), d.coverage()));
        assertNotEquals(WORLD.sample("train", 3).pixels(), otherSeed.sample("train", 3).pixels());
    }

    @Test
    void splitsShareNoScene() {
        Set<String> trainScenes = new HashSet<>();
        Set<ImagePixels> trainImages = new HashSet<>();
        for (Sample s : TRAIN.subList(0, 500)) {
            trainScenes.add(s.metadata().get("scene"));
            trainImages.add(s.pixels().orElseThrow());
        }
        assertEquals(500, trainScenes.size());
        for (String split : List.of("val", "test")) {
            for (int i = 0; i < 500; i++) {
                Sample s = WORLD.sample(split, i);
                assertFalse(trainScenes.contains(s.metadata().get("scene")), split + " " + i);
                assertFalse(trainImages.contains(s.pixels().orElseThrow()), split + " " + i);
            }
        }
    }

    @Test
    void heldOutConceptsNeverAppearInTrainButDoInTest() {
        Set<String> holdout = WorldSettings.defaults().coverage().holdout();
        assertEquals(Set.of("red triangle", "blue star", "green hexagon", "yellow diamond"), holdout);
        for (Sample s : TRAIN) {
            assertFalse(holdout.contains(s.labels().get(0)), s.id());
            for (SceneObject o : WORLD.scene("train", index(s)).objects()) {
                assertFalse(holdout.contains(o.concept()), s.id() + " has a held-out object " + o);
            }
        }
        // val and test are balanced: every 48 consecutive samples show each concept once as the label
        Map<String, Integer> testCounts = labelCounts("test", 480);
        assertEquals(48, testCounts.size());
        testCounts.values().forEach(c -> assertEquals(10, c));
        assertEquals(Set.copyOf(Vocabulary.CONCEPTS), labelCounts("val", 48).keySet());
        // test samples say how train covers their label, so held-out combinations can be scored apart
        Map<String, Integer> roles = new HashMap<>();
        for (int i = 0; i < 480; i++) {
            Sample s = WORLD.sample("test", i);
            String role = s.metadata().get("train.coverage");
            roles.merge(role, 1, Integer::sum);
            assertEquals(holdout.contains(s.labels().get(0)), "held-out".equals(role), s.id() + " " + role);
        }
        assertEquals(Map.of("held-out", 40, "rare", 20, "common", 420), roles);
    }

    @Test
    void rareConceptsAreMarkedlyRarerInTrain() {
        Map<String, Integer> counts = new HashMap<>();
        TRAIN.forEach(s -> counts.merge(s.labels().get(0), 1, Integer::sum));
        double uniform = TRAIN.size() / 48.0;
        for (String rare : List.of("purple circle", "orange square")) {
            int n = counts.getOrDefault(rare, 0);
            System.out.printf("train: %s %d times (an ordinary concept about %.0f)%n", rare, n, TRAIN.size() / 44.2);
            assertTrue(n < 0.4 * uniform, rare + " appeared " + n + " times");
        }
        assertTrue(counts.get("red circle") > 0.6 * uniform);
        assertEquals(44, counts.size()); // 48 minus 4 held out; rare ones do appear
    }

    @Test
    void everyCaptionNamesTheMainColourAndShape() {
        List<Sample> samples = new ArrayList<>(TRAIN.subList(0, 500));
        for (int i = 0; i < 500; i++) {
            samples.add(WORLD.sample("test", i));
        }
        for (Sample s : samples) {
            String label = s.labels().get(0);
            List<Caption> captions = s.captions();
            assertTrue(captions.size() >= 3 && captions.size() <= 5, s.id() + ": " + captions);
            assertEquals(captions.size(), new HashSet<>(captions).size());
            for (Caption c : captions) {
                List<String> words = TestSupport.words(c.text());
                assertTrue(words.contains(Vocabulary.colourOf(label)) && words.contains(Vocabulary.shapeOf(label)),
                        s.id() + " (" + label + "): " + c.text());
                assertEquals(Provenance.human("shapes-world"), c.provenance());
                // the renderer's parser reads the caption back to the same main concept
                SceneSpec.ObjectSpec main = CaptionParser.parse(c.text()).objects().get(0);
                assertEquals(label, Vocabulary.concept(main.colour(), main.shape()), c.text());
            }
        }
    }

    @Test
    void samplesCarryProvenanceLabelAndSceneMetadata() {
        Sample s = TRAIN.get(42);
        assertEquals("shapes-train-000042", s.id());
        assertEquals(Provenance.human("shapes-world"), s.imageProvenance());
        Scene scene = WORLD.scene("train", 42);
        assertEquals(List.of(scene.concept()), s.labels());
        assertEquals(scene.toJson(), s.metadata().get("scene"));
        assertTrue(s.metadata().get("scene").startsWith("{\"background\":{\"texture\":\""), s.metadata().get("scene"));
        assertEquals("train", s.metadata().get("split"));
        assertEquals("42", s.metadata().get("index"));
        assertEquals("common", s.metadata().get("train.coverage"));
        System.out.println(s.id() + " " + s.labels() + " " + s.metadata().get("scene"));
        s.captions().forEach(c -> System.out.println("  " + c.text()));
    }

    @Test
    void theMainObjectIsTheLargestAndScenesVary() {
        int[] objectCounts = new int[4];
        Set<String> textures = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Scene scene = WORLD.scene("train", i);
            objectCounts[scene.objects().size()]++;
            textures.add(scene.texture() + " " + scene.background());
            for (SceneObject o : scene.objects()) {
                assertTrue(o.radius() <= scene.main().radius(), scene.toJson());
            }
        }
        assertTrue(objectCounts[1] > 100 && objectCounts[2] > 100 && objectCounts[3] > 50,
                java.util.Arrays.toString(objectCounts));
        assertEquals(Vocabulary.TEXTURES.size() * Vocabulary.BACKGROUNDS.size(), textures.size());
    }

    @Test
    void theImageShowsTheMainObjectInItsColourWhereTheSceneSaysItIs() {
        int checked = 0;
        for (Sample s : TRAIN.subList(0, 300)) {
            Scene scene = WORLD.scene("train", index(s));
            SceneObject main = scene.main();
            ImagePixels p = s.pixels().orElseThrow();
            int rgb = Vocabulary.COLOURS.get(main.colour());
            int near = TestSupport.countNear(p, rgb, 60);
            double share = near / (double) (p.width() * p.height());
            assertTrue(share > ("large".equals(main.size()) ? 0.04 : 0.01), s.id() + " " + scene.toJson() + ": " + share);
            if (scene.objects().size() == 1) {
                double[] c = TestSupport.centroid(p, rgb, 60);
                assertTrue(Math.abs(c[0] - main.x()) < 0.06 && Math.abs(c[1] - main.y()) < 0.06,
                        s.id() + " " + scene.toJson() + " centroid " + c[0] + "," + c[1]);
                checked++;
            }
        }
        assertTrue(checked > 50);
    }

    @Test
    void imageSizeComesFromTheConfiguration() {
        ShapesWorldDataset small = new ShapesWorldDataset(TestSupport.config(ShapesWorldConfig.class,
                Map.of("image_size", 32, "train_size", 3, "holdout", new String[0])));
        ImagePixels p = small.sample("train", 0).pixels().orElseThrow();
        assertEquals(32, p.width());
        assertEquals(32, p.height());
        assertEquals(3, p.channels());
        assertEquals(32 * 32 * 3, p.data().length);
    }

    @Test
    void configurationIsChecked() {
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> WORLD.open("validation"));
        assertTrue(split.getMessage().contains("[train, val, test]"), split.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new Coverage(List.of("red circle", "pink circle"), List.of(), 0.1));
        assertTrue(unknown.getMessage().contains("pink circle") && unknown.getMessage().contains("hexagon"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Coverage(List.of("red circle"), List.of("Red  Circle"), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Coverage(List.of(), List.of(), 1.5));
        assertThrows(IllegalArgumentException.class, () -> new ShapesWorldDataset(
                TestSupport.config(ShapesWorldConfig.class, Map.of("image_size", 4))));
        // names are normalised
        assertEquals(Set.of("red circle"), new Coverage(List.of(" Red   CIRCLE "), List.of(), 0.1).holdout());
    }

    private static int index(Sample s) {
        return Integer.parseInt(s.metadata().get("index"));
    }

    private static Map<String, Integer> labelCounts(String split, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(WORLD.sample(split, i).labels().get(0), 1, Integer::sum);
        }
        return counts;
    }
}
