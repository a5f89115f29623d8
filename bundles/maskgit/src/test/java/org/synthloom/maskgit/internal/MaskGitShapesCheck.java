package org.synthloom.maskgit.internal;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.TestFitContext;

import ai.djl.ndarray.NDManager;

/**
 * Not a test: does the generator learn what a caption's colour word means at the shapes world's
 * scale? 1000 human pairs of the world's train split at 64 px, tokenised by a fixed colour
 * tokenizer (8x8 patches, mean RGB quantised to 6 levels a channel: 216 codes of a 256 codebook),
 * then grids generated for "a &lt;colour&gt; circle" for each of the 8 object colours. Prints, for
 * each caption colour, the share of generated cells whose colour is nearest that object colour
 * (among the 8 object and 4 background colours), against the same share in grids generated for the
 * other colours. Run with {@code mvn test -Dtest=MaskGitShapesCheck -Dmaskgit.check=true} and
 * optionally {@code -Dmaskgit.width=.. -Dmaskgit.depth=.. -Dmaskgit.heads=.. -Dmaskgit.steps=..
 * -Dmaskgit.batch.size=.. -Dmaskgit.learning.rate=..}, and {@code -Dmaskgit.dir=..} to keep the fit.
 */
@EnabledIfSystemProperty(named = "maskgit.check", matches = "true")
class MaskGitShapesCheck {

    static final String[] COLOURS = {"red", "green", "blue", "yellow", "purple", "orange", "white", "black"};
    static final int[] OBJECT_RGB = {0xDC2828, 0x28A83C, 0x2850E0, 0xF5DC28, 0x9632BE, 0xF58C14, 0xF5F5F5, 0x191919};
    static final int[] BACKGROUND_RGB = {0x808080, 0xCDBE9B, 0x5A6478, 0x6E6E3C};

    @Test
    void colourWordsSteerTheGrids(@TempDir Path temporary) throws Exception {
        // -Dmaskgit.dir keeps the fit, so that a second run loads it and only decodes.
        Path dir = System.getProperty("maskgit.dir") != null ? Path.of(System.getProperty("maskgit.dir")) : temporary;
        ColourTokenizer tokenizer = new ColourTokenizer();
        List<Sample> human = new ArrayList<>();
        for (Sample s : shapes(64, 1000)) {
            human.add(s.toBuilder().tokens(tokenizer.encode(List.of(s.pixels().orElseThrow()), null).get(0)).build());
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (String p : new String[] {"width", "depth", "heads", "steps", "batch.size", "learning.rate"}) {
            if (System.getProperty("maskgit." + p) != null) {
                overrides.put(p, System.getProperty("maskgit." + p));
            }
        }
        Settings settings = Settings.of(Configs.of(MaskGitConfig.class, overrides));
        // -Dmaskgit.words=true: a word-level tokenizer (as a BPE learnt from the captions would be) instead of bytes.
        boolean words = Boolean.getBoolean("maskgit.words");
        TestFitContext.Builder builder = TestFitContext.builder(dir, human).imageTokenizer(tokenizer).imageSize(64)
                .contextLength(words ? 24 : 64);
        if (words) {
            builder.tokenizer(new WordTokenizer(human));
        }
        try (TestFitContext context = builder.build()) {
            FittedMaskGit fitted = (FittedMaskGit) new MaskGit("check", settings).fit(context);
            List<Double> losses = context.losses(Fitting.LABEL);
            if (!losses.isEmpty()) {
                System.out.printf("settings %s%nloss %.3f -> %.3f (means of the first and last 10 steps); report %s%n",
                        overrides, mean(losses.subList(0, 10)), mean(losses.subList(losses.size() - 10, losses.size())),
                        context.reported(Fitting.LABEL));
            }
            double[][] reference = new double[COLOURS.length][COLOURS.length];
            int[] perColour = new int[COLOURS.length];
            for (Sample s : human) {
                perColour[List.of(COLOURS).indexOf(s.labels().get(0).split(" ")[0])]++;
            }
            for (Sample s : human) {
                int named = List.of(COLOURS).indexOf(s.labels().get(0).split(" ")[0]);
                for (int id : s.tokens().orElseThrow().ids()) {
                    int nearest = nearestObject(ColourTokenizer.rgb(id));
                    if (nearest >= 0) {
                        reference[named][nearest] += 1.0 / (perColour[named] * 64);
                    }
                }
            }
            print("human images (by the main object's colour)", reference);
            captionUse(fitted, context, human);
            for (Map<String, Object> decoding : List.<Map<String, Object>>of(Map.of(), Map.of("confidence.noise", 0),
                    Map.of("guidance", 3), Map.of("temperature", 1.5))) {
                Map<String, Object> all = new LinkedHashMap<>(overrides);
                all.putAll(decoding);
                FittedMaskGit variant = new FittedMaskGit(fitted.model(), Settings.of(Configs.of(MaskGitConfig.class, all)),
                        context.tokenizer(), fitted.codebook(), tokenizer, "check", fitted.identity());
                print("generated, decoding " + decoding, shares(variant, context));
            }
        }
    }

    /** @return share[asked][seen]: of the grids generated for colour word {@code asked}, the share of cells nearest object colour {@code seen} */
    private static double[][] shares(FittedMaskGit fitted, TestFitContext context) throws Exception {
        List<GeneratedCaption> captions = new ArrayList<>();
        for (String c : COLOURS) {
            captions.add(new GeneratedCaption(Concept.of(c + " circle"),
                    new Caption("a " + c + " circle", Provenance.synthetic("check", "1", 0))));
        }
        List<Sample> generated;
        try (NDManager manager = context.manager().newSubManager()) {
            generated = fitted.generate(new ImageRequest(captions, 8, 5), manager);
        }
        double[][] share = new double[COLOURS.length][COLOURS.length];
        for (int i = 0; i < generated.size(); i++) {
            int asked = i / 8;
            for (int id : generated.get(i).tokens().orElseThrow().ids()) {
                int nearest = nearestObject(ColourTokenizer.rgb(id));
                if (nearest >= 0) {
                    share[asked][nearest] += 1.0 / (8 * 64);
                }
            }
        }
        return share;
    }

    private static void print(String what, double[][] share) {
        double diagonal = 0;
        double off = 0;
        System.out.println(what);
        for (int a = 0; a < COLOURS.length; a++) {
            double others = 0;
            for (int b = 0; b < COLOURS.length; b++) {
                if (b != a) {
                    others += share[b][a] / (COLOURS.length - 1);
                }
            }
            System.out.printf("  %-7s cells of that colour: %.3f for its caption, %.3f for the other captions%n",
                    COLOURS[a], share[a][a], others);
            diagonal += share[a][a] / COLOURS.length;
            off += others / COLOURS.length;
        }
        System.out.printf("  mean share of the caption's colour: %.3f; of a colour the caption does not name: %.3f%n",
                diagonal, off);
    }

    /**
     * Whether the model reads the caption: cross-entropy at half of the positions (every other cell)
     * of 256 human grids with their own caption and with the caption of a sample whose main object
     * has another colour, over all masked cells and over the masked cells of an object colour.
     */
    private static void captionUse(FittedMaskGit fitted, TestFitContext context, List<Sample> human) {
        int b = 256;
        int n = 64;
        int[] ids = new int[b * n];
        int[] truth = new int[b * n];
        List<String> own = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            Sample s = human.get(i);
            own.add(s.captions().get(0).text());
            String colour = s.labels().get(0).split(" ")[0];
            for (int j = 1; ; j++) {
                Sample t = human.get((i + j) % human.size());
                if (!t.labels().get(0).split(" ")[0].equals(colour)) {
                    other.add(t.captions().get(0).text());
                    break;
                }
            }
            int[] grid = s.tokens().orElseThrow().ids();
            for (int p = 0; p < n; p++) {
                truth[i * n + p] = grid[p];
                ids[i * n + p] = (p + p / 8) % 2 == 0 ? 256 : grid[p];
            }
        }
        for (List<String> texts : List.of(own, other)) {
            try (NDManager scope = context.manager().newSubManager()) {
                var fields = FittedMaskGit.textBatches(context.tokenizer(), fitted.model().dims().context()).texts(texts)
                        .toNDList(scope, scope.getDevice());
                float[] logp = fitted.model().logits(new ai.djl.training.ParameterStore(scope, false),
                        scope.create(ids, new ai.djl.ndarray.types.Shape(b, n)),
                        fields.get(org.synthloom.api.model.Fields.TEXT_TOKENS),
                        fields.get(org.synthloom.api.model.Fields.TEXT_MASK), false).logSoftmax(2).toFloatArray();
                double all = 0;
                int allCount = 0;
                double object = 0;
                int objectCount = 0;
                for (int q = 0; q < b * n; q++) {
                    if (ids[q] == 256) {
                        double ce = -logp[q * 256 + truth[q]];
                        all += ce;
                        allCount++;
                        if (nearestObject(ColourTokenizer.rgb(truth[q])) >= 0) {
                            object += ce;
                            objectCount++;
                        }
                    }
                }
                System.out.printf("masked cross-entropy with %s captions: %.3f over %d cells, %.3f over the %d object-coloured ones%n",
                        texts == own ? "their own" : "another colour's", all / allCount, allCount, object / objectCount,
                        objectCount);
            }
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** @return the index of the nearest object colour, or -1 if a background colour is nearer */
    static int nearestObject(int rgb) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int k = 0; k < OBJECT_RGB.length + BACKGROUND_RGB.length; k++) {
            int c = k < OBJECT_RGB.length ? OBJECT_RGB[k] : BACKGROUND_RGB[k - OBJECT_RGB.length];
            double d = 0;
            for (int shift = 0; shift <= 16; shift += 8) {
                double diff = ((rgb >> shift) & 0xff) - ((c >> shift) & 0xff);
                d += diff * diff;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = k < OBJECT_RGB.length ? k : -1;
            }
        }
        return best;
    }

    /** @return the first {@code count} samples of the shapes world's train split at that size */
    static List<Sample> shapes(int size, int count) throws Exception {
        // The shapes world keeps its classes private to its bundle: built here as DS would build it.
        @SuppressWarnings("unchecked")
        Class<Annotation> configType = (Class<Annotation>) Class.forName("org.synthloom.shapes.internal.ShapesWorldConfig");
        Object config = Configs.of(configType, Map.of("image.size", size, "train.size", count));
        Dataset world = (Dataset) Class.forName("org.synthloom.shapes.internal.ShapesWorldDataset")
                .getConstructor(configType).newInstance(config);
        List<Sample> out = new ArrayList<>(count);
        try (SampleSource source = world.open("train")) {
            for (Optional<Sample> s = source.next(); s.isPresent() && out.size() < count; s = source.next()) {
                out.add(s.get());
            }
        }
        return out;
    }

    /** Words of the human captions (lower case, letters only): 0 pad, 1 start, 2 end, 3 unknown, then the words. */
    static final class WordTokenizer implements org.synthloom.api.model.Tokenizer {
        private final List<String> words = new ArrayList<>();
        private final Map<String, Integer> ids = new LinkedHashMap<>();

        WordTokenizer(List<Sample> human) {
            for (Sample s : human) {
                for (Caption c : s.captions()) {
                    for (String w : split(c.text())) {
                        ids.computeIfAbsent(w, k -> {
                            words.add(k);
                            return 3 + words.size();
                        });
                    }
                }
            }
        }

        private static List<String> split(String text) {
            return java.util.Arrays.stream(text.toLowerCase(java.util.Locale.ROOT).split("[^a-z]+"))
                    .filter(w -> !w.isEmpty()).toList();
        }

        @Override
        public int vocabularySize() {
            return 4 + words.size();
        }

        @Override
        public int[] encode(String text) {
            return split(text).stream().mapToInt(w -> ids.getOrDefault(w, 3)).toArray();
        }

        @Override
        public String decode(int[] tokens) {
            StringBuilder b = new StringBuilder();
            for (int t : tokens) {
                if (t >= 4) {
                    b.append(b.length() > 0 ? " " : "").append(words.get(t - 4));
                }
            }
            return b.toString();
        }

        @Override
        public int padId() {
            return 0;
        }

        @Override
        public int startId() {
            return 1;
        }

        @Override
        public int endId() {
            return 2;
        }
    }

    /** 8x8 patches, mean RGB quantised to 6 levels a channel (code = 36 r + 6 g + b), in a codebook of 256. */
    static final class ColourTokenizer implements ImageTokenizer {

        @Override
        public int codebookSize() {
            return 256;
        }

        @Override
        public int gridSize(int imageSize) {
            return imageSize / 8;
        }

        @Override
        public List<TokenGrid> encode(List<ImagePixels> images, NDManager manager) {
            List<TokenGrid> grids = new ArrayList<>();
            for (ImagePixels image : images) {
                int side = image.width() / 8;
                int[] ids = new int[side * side];
                for (int cell = 0; cell < ids.length; cell++) {
                    double[] mean = new double[3];
                    for (int y = (cell / side) * 8; y < (cell / side + 1) * 8; y++) {
                        for (int x = (cell % side) * 8; x < (cell % side + 1) * 8; x++) {
                            for (int ch = 0; ch < 3; ch++) {
                                mean[ch] += (image.data()[(y * image.width() + x) * image.channels()
                                        + Math.min(ch, image.channels() - 1)] & 0xff) / 64.0;
                            }
                        }
                    }
                    ids[cell] = 36 * (int) Math.round(mean[0] / 51) + 6 * (int) Math.round(mean[1] / 51)
                            + (int) Math.round(mean[2] / 51);
                }
                grids.add(new TokenGrid(side, side, ids, "colour-216", 256));
            }
            return grids;
        }

        @Override
        public List<ImagePixels> decode(List<TokenGrid> grids, NDManager manager) {
            throw new UnsupportedOperationException("the check does not decode");
        }

        /** @return the 0xRRGGBB colour a code stands for (codes past 215 are never made) */
        static int rgb(int code) {
            int r = Math.min(5, code / 36);
            int g = (code / 6) % 6;
            int b = code % 6;
            return (51 * r) << 16 | (51 * g) << 8 | 51 * b;
        }
    }
}
