package org.synthloom.maskgit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.TestFitContext;

import ai.djl.ndarray.NDManager;

/**
 * The generator on synthetic data where the caption determines the token grid: four colour words,
 * each with its own 4x4 pattern of 16 codes (the patterns differ at every position, so a model that
 * ignores the caption matches at most a quarter of the positions), produced by {@link
 * PatchTokenizer} from painted images, with one position of each human grid replaced by a random
 * code. One tiny model is fitted for the class; the other configurations load it.
 */
class MaskGitTest {

    static final String[] WORDS = {"red", "blue", "green", "yellow"};
    static final int SIDE = 4;
    static final int N = SIDE * SIDE;
    static final int PER_WORD = 16;
    static final Map<String, Object> TINY = Map.of("width", 32, "depth", 2, "heads", 2, "mlp.ratio", 2, "steps", 160,
            "batch.size", 16, "learning.rate", 3e-3, "weight.decay", 0.0, "decoding.steps", 8);

    @TempDir
    static Path dir;
    static List<Sample> human;
    static TestFitContext context;
    static ImageGenerator fitted;

    static int[] pattern(int word) {
        int[] ids = new int[N];
        for (int p = 0; p < N; p++) {
            ids[p] = (4 * word + 7 * p) % PatchTokenizer.CODES;
        }
        return ids;
    }

    static Settings settings(Map<String, ?> overrides) {
        Map<String, Object> all = new HashMap<>(TINY);
        all.putAll(overrides);
        return Settings.of(Configs.of(MaskGitConfig.class, all));
    }

    static TestFitContext.Builder contextFor(Path root) {
        return TestFitContext.builder(root, human).imageTokenizer(new PatchTokenizer()).imageSize(SIDE * PatchTokenizer.PATCH)
                .contextLength(10).seed(7);
    }

    @BeforeAll
    static void fit() throws IOException {
        PatchTokenizer tokenizer = new PatchTokenizer();
        SplittableRandom random = new SplittableRandom(3);
        human = new ArrayList<>();
        for (int w = 0; w < WORDS.length; w++) {
            for (int i = 0; i < PER_WORD; i++) {
                int[] ids = pattern(w);
                ids[random.nextInt(N)] = random.nextInt(PatchTokenizer.CODES);
                ImagePixels image = PatchTokenizer.paint(ids, SIDE);
                TokenGrid grid = tokenizer.encode(List.of(image), null).get(0);
                human.add(Sample.builder("h" + w + "-" + i).pixels(image).tokens(grid)
                        .imageProvenance(Provenance.human("test"))
                        .caption(new Caption(WORDS[w], Provenance.human("test"))).build());
            }
        }
        context = contextFor(dir).build();
        fitted = new MaskGit("1.0.0", settings(Map.of())).fit(context);
    }

    @AfterAll
    static void close() {
        context.close();
    }

    static ImageRequest request(long seed, int perCaption, String... words) {
        List<GeneratedCaption> captions = new ArrayList<>();
        for (String w : words) {
            captions.add(new GeneratedCaption(Concept.of(w), new Caption(w, Provenance.synthetic("test", "1", 0))));
        }
        return new ImageRequest(captions, perCaption, seed);
    }

    static List<Sample> generate(ImageGenerator generator, ImageRequest request) throws GenerationException {
        try (NDManager manager = context.manager().newSubManager()) {
            return generator.generate(request, manager);
        }
    }

    /** @return the fraction of positions of the samples' grids that equal their caption's pattern */
    static double agreement(List<Sample> samples) {
        int right = 0;
        int all = 0;
        for (Sample s : samples) {
            int word = List.of(WORDS).indexOf(s.captions().get(0).text());
            int[] ids = s.tokens().orElseThrow().ids();
            int[] expected = pattern(word);
            for (int p = 0; p < N; p++) {
                right += ids[p] == expected[p] ? 1 : 0;
                all++;
            }
        }
        return right / (double) all;
    }

    @Test
    void learnsWhichGridEachCaptionMeans() throws Exception {
        List<Double> losses = context.losses(Fitting.LABEL);
        assertEquals(160, losses.size());
        double first = losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(150, 160).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.3 * first, "loss fell from " + first + " to " + last);
        List<Sample> samples = generate(fitted, request(11, 4, WORDS));
        assertEquals(WORDS.length * 4, samples.size());
        double agreement = agreement(samples);
        // Chance is 1/16 per position; a model ignoring the caption matches at most 1/4.
        assertTrue(agreement > 0.85, "generated grids match their caption's pattern at " + agreement);
        Map<String, Double> report = context.reported(Fitting.LABEL);
        assertTrue(report.get("masked_accuracy") > 0.85, "reported " + report);
        assertTrue(report.get("masked_accuracy") > 2 * report.get("majority_accuracy"), "reported " + report);
        assertTrue(report.get("grids_per_second") > 0, "reported " + report);
    }

    @Test
    void samplesCarryTokensCaptionAndSyntheticProvenance() throws Exception {
        assertEquals(ImageSpace.TOKENS, fitted.outputSpace());
        List<Sample> samples = generate(fitted, request(5, 2, "red", "blue"));
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            TokenGrid grid = s.tokens().orElseThrow();
            assertEquals(SIDE, grid.rows());
            assertEquals(PatchTokenizer.CODEBOOK, grid.codebook());
            assertEquals(i < 2 ? "red" : "blue", s.captions().get(0).text());
            assertTrue(s.imageProvenance().isSynthetic());
            assertEquals(MaskGit.NAME, s.imageProvenance().source());
            assertEquals(FittedMaskGit.sampleSeed(5, i), s.imageProvenance().seed().getAsLong());
            assertFalse(s.pixels().isPresent());
        }
        assertEquals(samples.size(), samples.stream().map(Sample::id).distinct().count());
    }

    @Test
    void sameSeedSameGridsOtherSeedOtherGrids() throws Exception {
        // An unseen caption leaves the model uncertain, so the sampling noise shows.
        ImageRequest request = request(21, 3, "purple", "red");
        List<Sample> a = generate(fitted, request);
        List<Sample> b = generate(fitted, request);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).tokens().orElseThrow().ids(), b.get(i).tokens().orElseThrow().ids());
        }
        List<Sample> other = generate(fitted, request(22, 3, "purple", "red"));
        int differing = 0;
        for (int i = 0; i < 3; i++) {
            differing += java.util.Arrays.equals(a.get(i).tokens().orElseThrow().ids(),
                    other.get(i).tokens().orElseThrow().ids()) ? 0 : 1;
        }
        assertEquals(3, differing, "grids of another seed that differ");
        // A sample's grid depends on the seed and its index, not on what else is in the batch.
        List<Sample> alone = generate(fitted, request(21, 1, "purple"));
        assertArrayEquals(a.get(0).tokens().orElseThrow().ids(), alone.get(0).tokens().orElseThrow().ids());
    }

    @Test
    void decodingFollowsTheCosineScheduleAndEndsUnmasked() throws Exception {
        FittedMaskGit generator = (FittedMaskGit) fitted;
        List<Integer> trace = new ArrayList<>();
        int[][] grids;
        try (NDManager scope = context.manager().newSubManager()) {
            grids = generator.decode(List.of("red", "purple"), new long[] {1, 2}, scope, trace);
        }
        int steps = 8;
        assertEquals(steps, trace.size());
        for (int t = 0; t < steps - 1; t++) {
            int expected = (int) Math.floor(N * Math.cos(Math.PI / 2 * (t + 1) / steps));
            assertEquals(Math.max(1, expected), trace.get(t), "masked after step " + t);
        }
        assertEquals(0, trace.get(steps - 1));
        for (int[] grid : grids) {
            for (int id : grid) {
                assertTrue(id >= 0 && id < PatchTokenizer.CODES, "code " + id);
            }
        }
    }

    @Test
    void scheduleFunctions() {
        assertEquals(1, MaskSchedule.COSINE.gamma(0), 1e-12);
        assertEquals(0, MaskSchedule.COSINE.gamma(1), 1e-12);
        assertEquals(Math.sqrt(0.5), MaskSchedule.COSINE.gamma(0.5), 1e-12);
        assertEquals(0.75, MaskSchedule.LINEAR.gamma(0.25), 1e-12);
        assertEquals(0.9375, MaskSchedule.SQUARE.gamma(0.25), 1e-12);
        // At least one token fixed per step, and one left for each later step.
        assertEquals(3, MaskSchedule.COSINE.maskedAfter(0, 8, 4, 4));
        assertEquals(1, MaskSchedule.COSINE.maskedAfter(5, 8, 64, 2));
        assertEquals(0, MaskSchedule.COSINE.maskedAfter(7, 8, 64, 5));
    }

    @Test
    void guidanceOnAndOffBothGiveValidGrids() throws Exception {
        ImageGenerator guided;
        try (TestFitContext again = contextFor(dir).build()) {
            guided = new MaskGit("1.0.0", settings(Map.of("guidance", 2.0))).fit(again);
            assertTrue(again.losses(Fitting.LABEL).isEmpty(), "loaded, not trained again");
            List<Sample> samples = generate(guided, request(11, 4, WORDS));
            assertEquals(WORDS.length * 4, samples.size());
            double agreement = agreement(samples);
            assertTrue(agreement > 0.85, "guided grids match their caption's pattern at " + agreement);
        }
        double unguided = agreement(generate(fitted, request(11, 4, WORDS)));
        assertTrue(unguided > 0.85, "unguided " + unguided);
    }

    @Test
    void pixelOutputDecodesAndReencodes() throws Exception {
        try (TestFitContext again = contextFor(dir).build()) {
            ImageGenerator pixels = new MaskGit("1.0.0", settings(Map.of("output", "pixels"))).fit(again);
            assertEquals(ImageSpace.PIXELS, pixels.outputSpace());
            ImageRequest request = request(9, 2, "green", "yellow");
            List<Sample> painted = generate(pixels, request);
            List<Sample> tokens = generate(fitted, request);
            for (int i = 0; i < painted.size(); i++) {
                Sample s = painted.get(i);
                ImagePixels image = s.pixels().orElseThrow();
                assertEquals(SIDE * PatchTokenizer.PATCH, image.width());
                // The test tokenizer round-trips exactly: the re-encoded grid is the generated one.
                assertArrayEquals(tokens.get(i).tokens().orElseThrow().ids(), s.tokens().orElseThrow().ids());
                assertEquals(PatchTokenizer.paint(s.tokens().orElseThrow().ids(), SIDE), image);
            }
        }
    }

    @Test
    void aSecondFitInTheSameDirectoryLoadsTheSameModel() throws Exception {
        assertTrue(Files.exists(context.directory().resolve(Fitting.STATE)));
        assertTrue(Files.exists(context.directory().resolve(Fitting.PARAMETERS)));
        try (TestFitContext again = contextFor(dir).build()) {
            FittedMaskGit loaded = (FittedMaskGit) new MaskGit("1.0.0", settings(Map.of())).fit(again);
            assertTrue(again.losses(Fitting.LABEL).isEmpty(), "loaded, not trained again");
            assertEquals(((FittedMaskGit) fitted).identity(), loaded.identity());
            ImageRequest request = request(4, 2, WORDS);
            List<Sample> a = generate(fitted, request);
            List<Sample> b = generate(loaded, request);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i), b.get(i));
            }
        }
    }

    @Test
    void aStateOfAnotherArchitectureIsRefused() {
        IOException e = assertThrows(IOException.class, () -> {
            try (TestFitContext again = contextFor(dir).build()) {
                new MaskGit("1.0.0", settings(Map.of("width", 16))).fit(again);
            }
        });
        assertTrue(e.getMessage().contains("architecture"), e.getMessage());
    }

    @Test
    void badConfigurationNamesPidPropertyAndValue() {
        Map<String, Object[]> cases = Map.of("heads", new Object[] {"heads", 3}, "mask.schedule",
                new Object[] {"mask.schedule", "zigzag"}, "p.uncond", new Object[] {"p.uncond", 1.5}, "output",
                new Object[] {"output", "jpeg"}, "decoding.steps", new Object[] {"decoding.steps", 0}, "temperature",
                new Object[] {"temperature", -1.0});
        cases.forEach((property, c) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> settings(Map.of((String) c[0], c[1])), property);
            assertTrue(e.getMessage().contains(MaskGit.PID) && e.getMessage().contains(property)
                    && e.getMessage().contains(String.valueOf(c[1])), e.getMessage());
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("guidance", 1.0, "p.uncond", 0.0)));
        assertTrue(e.getMessage().contains("guidance"), e.getMessage());
    }

    @Test
    void theUnfittedServiceSaysItMustBeFitted() {
        MaskGit unfitted = new MaskGit("1.0.0", Settings.of(Configs.defaults(MaskGitConfig.class)));
        assertEquals(ImageSpace.TOKENS, unfitted.outputSpace());
        GenerationException e = assertThrows(GenerationException.class,
                () -> unfitted.generate(request(1, 1, "red"), context.manager()));
        assertTrue(e.getMessage().contains("must be fitted in a pipeline"), e.getMessage());
    }

    @Test
    void humanDataWithoutTokensIsRefusedClearly(@TempDir Path other) {
        List<Sample> pixelsOnly = human.stream().map(s -> s.toBuilder().tokens(null).build()).toList();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (TestFitContext bare = TestFitContext.builder(other, pixelsOnly).build()) {
                new MaskGit("1.0.0", settings(Map.of())).fit(bare);
            }
        });
        assertTrue(e.getMessage().contains("image.tokenizer.target"), e.getMessage());
    }
}
