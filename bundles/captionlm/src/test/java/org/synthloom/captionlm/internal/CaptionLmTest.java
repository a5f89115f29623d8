package org.synthloom.captionlm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.pipeline.stats.CaptionStats;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.TestFitContext;

/**
 * The caption language model on a toy corpus where each class has its own words: it learns
 * (the loss falls, the captions of a class name that class), and its sampling behaves as
 * configured (temperature, top-p, seeds, counts, de-duplication), across save and load.
 *
 * <p>One model is trained for the whole class (width 64, 2 layers, 140 steps: about 0.1 M
 * parameters, 15-25 s on one busy core; at width 32 the bytes are learnt far more slowly); the other
 * fits load it from the same directory with other sampling settings.
 */
class CaptionLmTest {

    /** Each class's captions: its own words in a template; {@link #WORDS} are the class words. */
    private static final Map<String, String[][]> CORPUS = new LinkedHashMap<>();
    private static final Map<String, String> WORDS = Map.of("circle", "circle", "star", "star", "square", "square");

    static {
        CORPUS.put("circle", new String[][] {{"a red", "a pink", "an orange"}, {"circle"},
            {"on blue", "on grass", "by a lake"}});
        CORPUS.put("star", new String[][] {{"the gold", "the silver", "the white"}, {"star"},
            {"shines", "glows at night", "twinkles"}});
        CORPUS.put("square", new String[][] {{"one green", "one grey", "one black"}, {"square"},
            {"in a box", "under a tree", "near a wall"}});
    }

    private static final List<String> CLASSES = List.copyOf(CORPUS.keySet());
    private static final int STEPS = 140;

    @TempDir
    static Path root;

    private static TestFitContext trained;
    private static CaptionGenerator model;

    /** Sizes small enough to train in seconds on one core. */
    private static Map<String, Object> config(Object... overrides) {
        Map<String, Object> p = new HashMap<>(Map.of("width", 64, "depth", 2, "heads", 4, "context", 32,
                "steps", STEPS, "batch.size", 16, "learning.rate", 0.01, "warmup.steps", 10, "max.length", 30));
        for (int i = 0; i < overrides.length; i += 2) {
            p.put((String) overrides[i], overrides[i + 1]);
        }
        return p;
    }

    private static CaptionLm component(Object... overrides) {
        return new CaptionLm("1.2.3", Configs.of(CaptionLmConfig.class, config(overrides)));
    }

    private static List<Sample> corpus() {
        List<Sample> samples = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String[][]> e : CORPUS.entrySet()) {
            String[][] parts = e.getValue();
            for (String first : parts[0]) {
                for (String last : parts[2]) {
                    String text = first + " " + parts[1][0] + " " + last;
                    // Each caption twice: 18 samples a class, 54 in all.
                    for (int copy = 0; copy < 2; copy++) {
                        samples.add(Sample.builder("toy-" + n++).caption(new Caption(text, Provenance.human("toy")))
                                .imageProvenance(Provenance.human("toy")).label(e.getKey()).build());
                    }
                }
            }
        }
        return samples;
    }

    private static TestFitContext context() throws IOException {
        return TestFitContext.builder(root, corpus()).classNames(CLASSES).contextLength(32).seed(7).build();
    }

    @BeforeAll
    static void train() throws IOException {
        trained = context();
        model = component().fit(trained);
    }

    @AfterAll
    static void close() throws Exception {
        ((AutoCloseable) model).close();
        trained.close();
    }

    /** Fits another generator with the given sampling settings: it loads the trained model. */
    private static List<GeneratedCaption> generate(CaptionRequest request, Object... overrides) throws Exception {
        try (TestFitContext again = context()) {
            CaptionGenerator loaded = component(overrides).fit(again);
            try {
                return loaded.generate(request);
            } finally {
                ((AutoCloseable) loaded).close();
            }
        }
    }

    private static CaptionRequest request(int per, long seed, String... concepts) {
        return new CaptionRequest(java.util.Arrays.stream(concepts).map(Concept::of).toList(), per, seed, List.of());
    }

    private static List<String> texts(List<GeneratedCaption> captions) {
        return captions.stream().map(c -> c.caption().text()).toList();
    }

    @Test
    void theLossFallsAndCaptionsNameTheirClass() throws Exception {
        List<Double> losses = trained.losses(CaptionLm.LABEL);
        assertEquals(STEPS, losses.size());
        double first = losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(STEPS - 10, STEPS).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        // Bytes start near ln(259) = 5.6 nats; given its class a caption is one of 9 (ln 9 / ~22 bytes = 0.1 nats a byte).
        assertTrue(last < first / 10 && last < 0.5, "loss fell from " + first + " to " + last);
        assertTrue(trained.reported(CaptionLm.LABEL).get("parameters") > 0);
        assertEquals(54.0, trained.reported(CaptionLm.LABEL).get("human_captions"));
        assertEquals(0.0, trained.reported(CaptionLm.LABEL).get("classes_without_captions"));

        List<GeneratedCaption> captions = model.generate(request(30, 11, "circle", "star", "square"));
        for (String cls : CLASSES) {
            int own = 0;
            int other = 0;
            for (GeneratedCaption c : captions) {
                if (!c.concept().name().equals(cls)) {
                    continue;
                }
                String text = c.caption().text();
                own += text.contains(WORDS.get(cls)) ? 1 : 0;
                for (String o : CLASSES) {
                    other += !o.equals(cls) && text.contains(WORDS.get(o)) ? 1 : 0;
                }
            }
            // Chance would be about 1 in 3 for each.
            assertTrue(own >= 25, cls + ": " + own + " of 30 name it: " + texts(captions));
            assertTrue(other <= 2, cls + ": " + other + " of 30 name another class: " + texts(captions));
        }
    }

    @Test
    void aHigherTemperatureWritesMoreDiverseCaptions() throws Exception {
        CaptionRequest request = request(20, 3, "circle", "star", "square");
        double cold = CaptionStats.of(generate(request, "temperature", 0.2, "top.p", 1.0, "dedup.retries", 0)).distinct2();
        double warm = CaptionStats.of(generate(request, "temperature", 1.5, "top.p", 1.0, "dedup.retries", 0)).distinct2();
        assertTrue(warm > cold + 0.05, "distinct-2 at temperature 0.2: " + cold + ", at 1.5: " + warm);
    }

    @Test
    void aTinyTopPIsGreedy() throws Exception {
        CaptionRequest request = request(4, 5, "circle", "star", "square");
        List<String> greedy = texts(generate(request, "temperature", 0.0, "dedup.retries", 0));
        List<String> nucleus = texts(generate(request, "temperature", 1.0, "top.p", 1e-9, "dedup.retries", 0));
        assertEquals(greedy, nucleus);
        // Greedy decoding has one answer per class: every caption of a concept is the same.
        for (int c = 0; c < 3; c++) {
            assertEquals(1, new HashSet<>(greedy.subList(4 * c, 4 * c + 4)).size(), greedy.toString());
        }
        assertEquals(3, new HashSet<>(greedy).size(), greedy.toString());
    }

    @Test
    void theSameSeedGivesTheSameCaptionsWhateverTheBatching() throws Exception {
        CaptionRequest request = request(6, 21, "star", "circle");
        List<String> once = texts(model.generate(request));
        assertEquals(once, texts(model.generate(request)));
        assertEquals(once, texts(generate(request, "sample.batch", 5)));
        CaptionRequest small = request(2, 21, "star", "circle");
        assertEquals(texts(model.generate(small)), texts(generate(small, "sample.batch", 1)));
        assertNotEquals(once, texts(model.generate(request(6, 22, "star", "circle"))));
    }

    @Test
    void everyConceptGetsExactlyTheCaptionsAskedForWithoutRepeats() throws Exception {
        List<GeneratedCaption> captions = model.generate(request(7, 9, "square", "Hexagon", " Circle "));
        assertEquals(21, captions.size());
        List<String> expected = List.of("square", "Hexagon", " Circle ");
        for (int i = 0; i < captions.size(); i++) {
            GeneratedCaption c = captions.get(i);
            assertEquals(expected.get(i / 7), c.concept().name());
            assertFalse(c.caption().text().isBlank());
            assertTrue(c.caption().provenance().isSynthetic());
            assertEquals("lm", c.caption().provenance().source());
            assertEquals(9L, c.caption().provenance().seed().orElseThrow());
        }
        // The toy classes have 9 captions each: 7 distinct ones are within reach of the retries.
        for (int c = 0; c < 3; c += 2) {
            Set<String> distinct = new HashSet<>(texts(captions.subList(7 * c, 7 * c + 7)));
            assertEquals(7, distinct.size(), texts(captions).toString());
        }
        // Matching a class ignores case and surrounding blanks (chance: 1 in 3).
        assertTrue(texts(captions.subList(14, 21)).stream().filter(t -> t.contains("circle")).count() >= 6,
                texts(captions).toString());
    }

    @Test
    void aSecondFitLoadsTheSameModel() throws Exception {
        assertTrue(Files.exists(trained.directory().resolve(SavedModel.JSON)));
        assertTrue(Files.exists(trained.directory().resolve(SavedModel.PARAMS)));
        CaptionRequest request = request(4, 13, "circle", "square");
        try (TestFitContext again = context()) {
            CaptionGenerator loaded = component().fit(again);
            assertEquals(texts(model.generate(request)), texts(loaded.generate(request)));
            assertTrue(again.losses(CaptionLm.LABEL).isEmpty(), "the second fit trained again");
            ((AutoCloseable) loaded).close();
        }
        try (TestFitContext others = TestFitContext.builder(root, corpus()).classNames(List.of("circle", "star"))
                .contextLength(32).build()) {
            IOException e = assertThrows(IOException.class, () -> component().fit(others));
            assertTrue(e.getMessage().contains("classes"), e.getMessage());
        }
    }

    @Test
    void aBadSettingNamesThePidThePropertyAndTheValue() {
        for (Object[] bad : new Object[][] {{"heads", 3}, {"top.p", 1.5}, {"top.p", 0}, {"temperature", -1},
            {"max.length", 40}, {"width", 0}, {"dedup.retries", -2}, {"warmup.steps", 160}, {"learning.rate", 0}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> component(bad));
            String m = e.getMessage();
            assertTrue(m.startsWith("org.synthloom.captionlm: " + bad[0] + " must"), m);
            assertTrue(m.endsWith(" " + bad[1]) || m.endsWith(" " + ((Number) bad[1]).doubleValue()), m);
        }
    }

    @Test
    void theUnfittedServiceRefusesToGenerate() {
        GenerationException e = assertThrows(GenerationException.class,
                () -> component().generate(request(1, 1, "circle")));
        assertTrue(e.getMessage().contains("must be fitted in a pipeline"), e.getMessage());
    }
}
