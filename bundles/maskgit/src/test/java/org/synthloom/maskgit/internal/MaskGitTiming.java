package org.synthloom.maskgit.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.ImageRequest;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.TestFitContext;

import ai.djl.ndarray.NDManager;

/**
 * Not a test: measures the default configuration at Synth2's pipeline sizes (1000 human pairs,
 * 8x8 grids of 256 codes, captions of about 35 bytes, context 64) for the README. Run with
 * {@code mvn test -Dtest=MaskGitTiming -Dmaskgit.timing=true [-Dmaskgit.steps=30]}. The machine is
 * shared, so it also measures a 1024x1024 GEMM on the same engine before and after, and prints the
 * training step's matrix-product FLOP rate as a fraction of the GEMM rate.
 */
@EnabledIfSystemProperty(named = "maskgit.timing", matches = "true")
class MaskGitTiming {

    @Test
    void timeTheDefaults(@TempDir Path dir) throws Exception {
        String[] colours = {"red", "green", "blue", "yellow", "purple", "orange"};
        String[] shapes = {"circle", "square", "triangle", "star"};
        String[] places = {"top left", "top right", "bottom left", "bottom right", "centre"};
        SplittableRandom random = new SplittableRandom(1);
        List<Sample> human = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String text = "a " + colours[random.nextInt(colours.length)] + " " + shapes[random.nextInt(shapes.length)]
                    + " in the " + places[random.nextInt(places.length)];
            int[] ids = new int[64];
            for (int p = 0; p < ids.length; p++) {
                ids[p] = Math.floorMod(text.hashCode() + 31 * p + random.nextInt(3), 256);
            }
            human.add(Sample.builder("h" + i).tokens(new TokenGrid(8, 8, ids, "timing", 256))
                    .imageProvenance(Provenance.human("timing")).caption(new Caption(text, Provenance.human("timing")))
                    .build());
        }
        int steps = Integer.getInteger("maskgit.steps", 30);
        double gemmBefore = gemmRate();
        Settings settings = Settings.of(Configs.of(MaskGitConfig.class, Map.of("steps", steps)));
        try (TestFitContext context = TestFitContext.builder(dir, human).imageSize(64).contextLength(64).build()) {
            FittedMaskGit fitted = (FittedMaskGit) new MaskGit("timing", settings).fit(context);
            Map<String, Double> report = context.reported(Fitting.LABEL);
            List<Double> losses = context.losses(Fitting.LABEL);
            double gemm = (gemmBefore + gemmRate()) / 2;
            double perStep = report.get("train_seconds") / steps;
            double flop = stepFlop(settings.batchSize(), 64 + 64, settings.width(), settings.depth(), settings.mlpRatio(), 64,
                    256);
            System.out.printf("maskgit defaults: %d steps in %.1f s (%.3f s/step), loss %.3f -> %.3f, report %s%n", steps,
                    report.get("train_seconds"), perStep, losses.get(0), losses.get(losses.size() - 1), report);
            System.out.printf("step %.1f GFLOP (matrix products), %.1f GFLOP/s; 1024^3 GEMM %.1f GFLOP/s; fraction %.2f%n",
                    flop / 1e9, flop / perStep / 1e9, gemm / 1e9, flop / perStep / gemm);
            List<GeneratedCaption> captions = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String text = human.get(i).captions().get(0).text();
                captions.add(new GeneratedCaption(Concept.of("c" + i), new Caption(text, Provenance.synthetic("t", "1", 0))));
            }
            for (double guidance : new double[] {0, 1}) {
                Settings decoding = Settings.of(Configs.of(MaskGitConfig.class, Map.of("steps", steps, "guidance", guidance)));
                FittedMaskGit generator = new FittedMaskGit(fitted.model(), decoding, context.tokenizer(), "timing", null,
                        "timing", fitted.identity());
                long started = System.nanoTime();
                try (NDManager manager = context.manager().newSubManager()) {
                    generator.generate(new ImageRequest(captions, 1, 3), manager);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("maskgit decoding, guidance %.0f: 32 grids in %.2f s (%.1f grids/s)%n", guidance, seconds,
                        32 / seconds);
            }
        }
    }

    /** FLOP/s of a 1024^3 matrix product, the median of 5. */
    private static double gemmRate() {
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(1024, 1024));
            double[] rates = new double[5];
            for (int i = 0; i < rates.length; i++) {
                long start = System.nanoTime();
                a.matMul(a).getFloat(0, 0);
                rates[i] = 2.0 * 1024 * 1024 * 1024 / ((System.nanoTime() - start) / 1e9);
            }
            java.util.Arrays.sort(rates);
            return rates[2];
        }
    }

    /**
     * Matrix-product FLOPs of one training step, counted by hand (forward x 3 for the backward):
     * per token and layer the QKV, output and MLP projections and the attention scores and sums,
     * plus the head over the image tokens.
     */
    static double stepFlop(int batch, int sequence, int width, int depth, int mlpRatio, int imageTokens, int codes) {
        double perToken = 2.0 * width * 3 * width + 2.0 * width * width + 2 * 2.0 * width * mlpRatio * width
                + 2 * 2.0 * sequence * width;
        double forward = batch * (sequence * depth * perToken + 2.0 * imageTokens * width * codes);
        return 3 * forward;
    }
}
