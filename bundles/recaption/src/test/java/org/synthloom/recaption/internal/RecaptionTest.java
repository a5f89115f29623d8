package org.synthloom.recaption.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.Recaptioner;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.TestFitContext;
import org.synthloom.testkit.Utf8Tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The recaptioner: its combination mask, and that it learns to rewrite captions from the image and
 * the web caption on a toy world where the web caption names the shape only and the other
 * captions name colour and shape, so the colour can come from the image tokens alone.
 *
 * <p>One model is trained for the class (width 48, 2 layers, byte tokens); a second fit in the
 * same directory loads it.
 */
class RecaptionTest {

    static final String[] COLOURS = {"red", "blue", "green", "pink"};
    static final String[] SHAPES = {"circle", "star", "square"};
    static final int VARIANTS = 3;
    static final int STEPS = 250;

    @TempDir
    static Path root;

    private static ClasspathDevices devices;
    private static TestFitContext trained;
    private static Recaptioner model;

    static Map<String, Object> config(Object... overrides) {
        Map<String, Object> p = new HashMap<>(Map.of("width", 48, "depth", 2, "heads", 4, "max.length", 24,
                "steps", STEPS, "batch.size", 16, "learning.rate", 0.01, "warmup.steps", 10));
        for (int i = 0; i < overrides.length; i += 2) {
            p.put((String) overrides[i], overrides[i + 1]);
        }
        return p;
    }

    static ClipsRecaptioner component(Object... overrides) {
        return new ClipsRecaptioner("1.2.3", devices, Configs.of(RecaptionConfig.class, config(overrides)));
    }

    /**
     * Image {@code (colour, shape, variant)}: a 2x2 grid of codes [colour, 4 + shape, noise, noise]
     * over a codebook of 12; captions "a shape" (the web caption), "a colour shape" and
     * "colour shape in a picture".
     */
    static List<Sample> world() {
        List<Sample> samples = new ArrayList<>();
        for (int c = 0; c < COLOURS.length; c++) {
            for (int s = 0; s < SHAPES.length; s++) {
                for (int v = 0; v < VARIANTS; v++) {
                    int[] ids = {c, 4 + s, 7 + (v + c) % 5, 7 + (2 * v + s) % 5};
                    Provenance human = Provenance.human("toy");
                    samples.add(Sample.builder("toy-" + c + "-" + s + "-" + v)
                            .tokens(new TokenGrid(2, 2, ids, "toy", 12)).imageProvenance(human)
                            .caption(new Caption("a " + SHAPES[s], human))
                            .caption(new Caption("a " + COLOURS[c] + " " + SHAPES[s], human))
                            .caption(new Caption(COLOURS[c] + " " + SHAPES[s] + " in a picture", human))
                            .build());
                }
            }
        }
        return samples;
    }

    static TestFitContext context(Path dir, List<Sample> samples) throws IOException {
        return TestFitContext.builder(dir, samples).tokenizer(new Utf8Tokenizer()).seed(5).build();
    }

    @BeforeAll
    static void train() throws IOException {
        devices = new ClasspathDevices();
        trained = context(root.resolve("fit"), world());
        long started = System.nanoTime();
        model = component().fit(trained);
        System.out.printf("recaptioner fit: %.1f s, %s%n", (System.nanoTime() - started) / 1e9,
                trained.reported(ClipsRecaptioner.LABEL));
    }

    @AfterAll
    static void close() throws Exception {
        if (model != null) {
            ((AutoCloseable) model).close();
        }
        if (trained != null) {
            trained.close();
        }
    }

    @Test
    void combinationMaskMakesThePrefixBidirectionalAndTheCaptionCausal() {
        RecaptionBlock.Architecture a = new RecaptionBlock.Architecture(259, 12, 4, 8, 16, 2, 2);
        try (NDManager m = devices.newManager(devices.defaultDevice())) {
            RecaptionBlock block = new RecaptionBlock(a);
            block.initialize(m, DataType.FLOAT32, new Shape(2, 4), new Shape(2, 8), new Shape(2, 8), new Shape(2, 6));
            int[] image = {1, 2, 3, 4, 5, 6, 7, 8};
            int[] web = new int[16];
            int[] webMask = new int[16];
            for (int i = 0; i < 16; i++) {
                web[i] = 10 + i;
                webMask[i] = i % 8 < 6 ? 1 : 0; // the last two web positions of each row are padding
            }
            int[] gen = {1, 40, 41, 42, 43, 44, 1, 50, 51, 52, 53, 54};
            float[] base = hidden(block, m, image, web, webMask, gen);
            int length = 4 + 8 + 6;
            // A later generated token (position 3 of 6) changes nothing before it, and what follows.
            int[] gen2 = gen.clone();
            gen2[3] = 99;
            gen2[6 + 3] = 99;
            float[] changed = hidden(block, m, image, web, webMask, gen2);
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < length; t++) {
                    double d = difference(base, changed, b, t, length, 16);
                    if (t < 4 + 8 + 3) {
                        assertEquals(0, d, 1e-6, "row " + b + " position " + t + " saw a later generated token");
                    } else {
                        assertTrue(d > 1e-4, "row " + b + " position " + t + " did not see generated position 3");
                    }
                }
            }
            // A later prefix token (the last real web token, position 4 + 5) changes earlier prefix outputs.
            int[] web2 = web.clone();
            web2[5] = 120;
            web2[8 + 5] = 120;
            changed = hidden(block, m, image, web2, webMask, gen);
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < length; t++) {
                    assertTrue(difference(base, changed, b, t, length, 16) > 1e-4,
                            "row " + b + " position " + t + " did not see the web caption's last real token");
                }
            }
            // A web padding token changes nothing anywhere; a generated token does not reach the prefix.
            int[] web3 = web.clone();
            web3[7] = 200;
            changed = hidden(block, m, image, web3, webMask, gen);
            for (int t = 0; t < length; t++) {
                if (t != 4 + 7) { // the padding position's own output may change; nobody reads it
                    assertEquals(0, difference(base, changed, 0, t, length, 16), 1e-6, "position " + t + " saw padding");
                }
            }
        }
    }

    private static float[] hidden(RecaptionBlock block, NDManager m, int[] image, int[] web, int[] webMask, int[] gen) {
        try (NDManager s = m.newSubManager()) {
            return block.hidden(new ParameterStore(s, false), s.create(image, new Shape(2, 4)),
                    s.create(web, new Shape(2, 8)), s.create(webMask, new Shape(2, 8)), s.create(gen, new Shape(2, 6)),
                    false).toFloatArray();
        }
    }

    private static double difference(float[] a, float[] b, int row, int position, int length, int width) {
        double max = 0;
        int offset = (row * length + position) * width;
        for (int k = 0; k < width; k++) {
            max = Math.max(max, Math.abs(a[offset + k] - b[offset + k]));
        }
        return max;
    }

    @Test
    void learnsToRewriteWithTheColourTheImageShows() throws Exception {
        Map<String, Double> report = trained.reported(ClipsRecaptioner.LABEL);
        double first = report.get("loss_first");
        double last = report.get("loss_last");
        assertTrue(last < first / 5, "the loss fell from " + first + " to only " + last);
        assertEquals(36, report.get("images"));
        assertEquals(36 * 6, report.get("pairs"));

        List<Sample> world = world();
        List<Caption> rewritten = model.recaption(world, 1);
        assertEquals(world.size(), rewritten.size());
        int exact = 0;
        int colour = 0;
        int copied = 0;
        int chance = 0;
        for (int i = 0; i < world.size(); i++) {
            Sample s = world.get(i);
            String text = rewritten.get(i).text();
            assertEquals("synthetic:clips@1.2.3#1", rewritten.get(i).provenance().toString());
            List<String> targets = List.of(s.captions().get(1).text(), s.captions().get(2).text());
            exact += targets.contains(text) ? 1 : 0;
            copied += targets.contains(s.captions().get(0).text()) ? 1 : 0;
            // Another image's targets: what a rewrite that ignores the image would match by luck.
            Sample other = world.get((i + 7) % world.size());
            chance += List.of(other.captions().get(1).text(), other.captions().get(2).text()).contains(text) ? 1 : 0;
            String[] parts = s.id().split("-");
            colour += text.contains(COLOURS[Integer.parseInt(parts[1])]) ? 1 : 0;
        }
        System.out.printf("rewritten: %d of %d exact targets, %d name the image's colour, copying the web caption %d,"
                + " another image's targets %d; e.g. '%s' -> '%s'%n", exact, world.size(), colour, copied, chance,
                world.get(0).captions().get(0).text(), rewritten.get(0).text());
        assertTrue(exact >= 30, exact + " of 36 rewrites are one of the image's other captions");
        assertTrue(colour >= 30, colour + " of 36 rewrites name the image's colour (chance 9)");
        assertEquals(0, copied);
        assertTrue(chance <= 6, chance + " rewrites match another image's captions");
    }

    @Test
    void aSecondFitLoadsTheModelAndRewritesTheSame() throws Exception {
        List<Sample> world = world();
        List<Caption> first = model.recaption(world, 3);
        try (TestFitContext again = context(root.resolve("fit"), world)) {
            Recaptioner loaded = component("decode.batch", 5).fit(again);
            try {
                assertTrue(again.reported(ClipsRecaptioner.LABEL).isEmpty(), "the second fit trained again");
                assertEquals(first, loaded.recaption(world, 3));
            } finally {
                ((AutoCloseable) loaded).close();
            }
        }
        // Another architecture in the same directory is refused, naming it.
        try (TestFitContext again = context(root.resolve("fit"), world)) {
            IOException e = assertThrows(IOException.class, () -> component("width", 32).fit(again));
            assertTrue(e.getMessage().contains("architecture"), e.getMessage());
        }
    }

    @Test
    void temperatureSamplesDependOnTheSeedOnly() throws Exception {
        List<Sample> world = world();
        try (TestFitContext again = context(root.resolve("fit"), world)) {
            Recaptioner warm = component("temperature", 1.5).fit(again);
            try {
                List<Caption> a = warm.recaption(world, 11);
                // Batched differently (decode.batch 64, and two requests), the same captions.
                assertEquals(a, concat(warm.recaption(world.subList(0, 20), 11), warm.recaption(world.subList(20, 36), 11)));
                assertTrue(!a.equals(warm.recaption(world, 12)), "another seed gave the same samples");
                assertTrue(!a.equals(model.recaption(world, 11)), "temperature 1.5 gave the greedy captions");
            } finally {
                ((AutoCloseable) warm).close();
            }
        }
    }

    private static List<Caption> concat(List<Caption> a, List<Caption> b) {
        List<Caption> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void refusesWhatItCannotUse() throws Exception {
        Recaptioner unfitted = component();
        GenerationException e = assertThrows(GenerationException.class, () -> unfitted.recaption(world(), 1));
        assertTrue(e.getMessage().contains("fitted"), e.getMessage());

        Provenance human = Provenance.human("toy");
        List<Sample> noTokens = List.of(Sample.builder("plain").caption(new Caption("a", human))
                .caption(new Caption("b", human)).imageProvenance(human).build());
        try (TestFitContext fit = context(Files.createDirectories(root.resolve("no-tokens")), noTokens)) {
            IOException io = assertThrows(IOException.class, () -> component().fit(fit));
            assertTrue(io.getMessage().contains("plain") && io.getMessage().contains("image tokenizer"), io.getMessage());
        }
        List<Sample> single = List.of(world().get(0).toBuilder().captions(List.of(new Caption("a star", human))).build());
        try (TestFitContext fit = context(Files.createDirectories(root.resolve("single")), single)) {
            IOException io = assertThrows(IOException.class, () -> component().fit(fit));
            assertTrue(io.getMessage().contains("two captions"), io.getMessage());
        }
        GenerationException wrong = assertThrows(GenerationException.class, () -> model.recaption(
                List.of(world().get(0).toBuilder().tokens(new TokenGrid(3, 3, new int[9], "toy", 12)).build()), 1));
        assertTrue(wrong.getMessage().contains("toy-0-0-0"), wrong.getMessage());

        for (Object[] bad : new Object[][] {{"heads", 5}, {"steps", 0}, {"learning.rate", -1.0}, {"temperature", -0.5},
            {"warmup.steps", 250}, {"max.length", 0}, {"decode.batch", 0}}) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> component(bad));
            assertTrue(x.getMessage().startsWith("org.synthloom.recaption: " + bad[0]) && x.getMessage()
                    .contains(String.valueOf(bad[1])), x.getMessage());
        }
    }
}
