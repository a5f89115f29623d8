package org.synthloom.vqgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.testkit.TestFitContext;

/**
 * One small fit on 200 generated 16x16 images (a rectangle on a flat background; seconds on one
 * core), shared by the tests:
 * it learns, it saves, a second fit loads, and a damaged state is refused by name and kept.
 */
class VqGanFitTest {

    private static final int SIZE = 16;
    /** 16 channels, 8x8 grids of 64 codes of width 8; 80 + 240 steps of 16 images. */
    private static final Settings SMALL = new Settings(16, 2, 64, 8, 0.25, 80, 240, 16, 3e-3, 150, 10);

    @TempDir
    static Path root;

    private static List<Sample> samples;
    private static TestFitContext context;
    private static ImageTokenizer fitted;

    @BeforeAll
    static void fit() throws IOException {
        samples = TestImages.rectangles(SIZE, 200, 1);
        context = TestFitContext.builder(root, samples).imageSize(SIZE).seed(3).build();
        try {
            fitted = new VqGan("test", SMALL).fit(context);
        } catch (RuntimeException e) {
            // what the training did, to tell a divergence from a failure of the measurement
            System.out.println("autoencoder losses " + context.losses("vqgan-ae"));
            System.out.println("VQ losses " + context.losses("vqgan"));
            throw e;
        }
    }

    @AfterAll
    static void close() {
        context.close();
    }

    @Test
    void learnsToReconstructUnseenImagesFarBetterThanTheirMeanColour() {
        // images the fit never saw (another seed): the training loop sees every human image
        double[] unseen = TestImages.psnrAndBaseline(fitted, TestImages.pixels(TestImages.rectangles(SIZE, 30, 2)),
                context.manager());
        List<ImagePixels> heldBack = new ArrayList<>();
        for (int i = Fitting.HELD_BACK - 1; i < samples.size(); i += Fitting.HELD_BACK) {
            heldBack.add(samples.get(i).pixels().orElseThrow());
        }
        double[] held = TestImages.psnrAndBaseline(fitted, heldBack, context.manager());
        Map<String, Double> reported = context.reported("vqgan");
        String figures = String.format("unseen: model %.2f dB, mean colour %.2f dB; every tenth human image: model %.2f dB;"
                + " reported %s", unseen[0], unseen[1], held[0], reported);
        System.out.println(figures);
        assertTrue(unseen[0] > unseen[1] + 3, figures);
        // the reported figure is the measurement on every tenth human image, before rounding to 8 bits
        assertEquals(held[0], reported.get("psnr"), 0.5, figures);
        assertEquals(heldBack.size(), reported.get("held_back_images"), 0.0);

        // the codebook is used: many codes over the data, not one
        Set<Integer> used = new HashSet<>();
        for (TokenGrid g : fitted.encode(TestImages.pixels(samples), context.manager())) {
            Arrays.stream(g.ids()).forEach(used::add);
        }
        assertTrue(used.size() >= 8, "codes used: " + used.size() + "; " + figures);
        assertEquals(used.size(), reported.get("codes_used"), 0.0);
        assertEquals(used.size() / 64.0, reported.get("code_usage"), 1e-9);
        assertTrue(reported.get("perplexity") > 4, figures);

        // both phases learnt
        assertTrue(mean(context.losses("vqgan-ae"), 0) > 2 * mean(context.losses("vqgan-ae"), SMALL.autoencoderSteps() - 10),
                "autoencoder losses " + context.losses("vqgan-ae"));
        assertTrue(mean(context.losses("vqgan"), 0) > mean(context.losses("vqgan"), SMALL.steps() - 10),
                "VQ losses " + context.losses("vqgan"));
    }

    @Test
    void aSecondFitInTheSameDirectoryLoadsAndEncodesToTheSameTokens() throws IOException {
        List<ImagePixels> images = TestImages.pixels(samples.subList(0, 40));
        List<TokenGrid> first = fitted.encode(images, context.manager());
        try (TestFitContext again = TestFitContext.builder(root, samples).imageSize(SIZE).seed(3).build()) {
            ImageTokenizer loaded = new VqGan("test", SMALL).fit(again);
            assertTrue(again.losses("vqgan-ae").isEmpty() && again.losses("vqgan").isEmpty(), "it trained again");
            List<TokenGrid> second = loaded.encode(images, again.manager());
            for (int i = 0; i < images.size(); i++) {
                assertEquals(first.get(i).codebook(), second.get(i).codebook());
                assertArrayEquals(first.get(i).ids(), second.get(i).ids(), "image " + i);
            }
            // and its decoder is the saved one: same pixels
            assertEquals(fitted.decode(first, context.manager()), loaded.decode(second, again.manager()));
        }
    }

    @Test
    void aTruncatedParameterFileIsRefusedByNameAndKept(@TempDir Path copy) throws IOException {
        Path state = copyState(copy);
        Path parameters = state.resolve(Fitting.PARAMETERS);
        byte[] whole = Files.readAllBytes(parameters);
        Files.write(parameters, Arrays.copyOf(whole, whole.length / 2));
        String json = Files.readString(state.resolve(Fitting.STATE));
        try (TestFitContext again = TestFitContext.builder(copy, samples).imageSize(SIZE).seed(3).build()) {
            IOException e = assertThrows(IOException.class, () -> new VqGan("test", SMALL).fit(again));
            assertTrue(e.getMessage().contains(parameters.toString()), e.getMessage());
            assertTrue(again.losses("vqgan-ae").isEmpty(), "it trained again");
        }
        assertEquals(whole.length / 2, Files.size(parameters), "the damaged file is kept as it was");
        assertEquals(json, Files.readString(state.resolve(Fitting.STATE)));
    }

    @Test
    void aTruncatedOrIncompleteStateFileIsRefusedByNameAndKept(@TempDir Path copy) throws IOException {
        Path state = copyState(copy);
        Path file = state.resolve(Fitting.STATE);
        String json = Files.readString(file);
        long parameters = Files.size(state.resolve(Fitting.PARAMETERS));
        for (String damaged : List.of(json.substring(0, json.length() / 2), "{\"format\": 1, \"codebook\": \"x\"}", "")) {
            Files.writeString(file, damaged);
            try (TestFitContext again = TestFitContext.builder(copy, samples).imageSize(SIZE).seed(3).build()) {
                IOException e = assertThrows(IOException.class, () -> new VqGan("test", SMALL).fit(again), damaged);
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            }
            assertEquals(damaged, Files.readString(file));
            assertEquals(parameters, Files.size(state.resolve(Fitting.PARAMETERS)));
        }
    }

    @Test
    void aStateOfAnotherArchitectureIsRefused(@TempDir Path copy) throws IOException {
        copyState(copy);
        Settings wider = new Settings(32, 2, 64, 8, 0.25, 80, 160, 16, 3e-3, 150, 10);
        try (TestFitContext again = TestFitContext.builder(copy, samples).imageSize(SIZE).seed(3).build()) {
            IOException e = assertThrows(IOException.class, () -> new VqGan("test", wider).fit(again));
            assertTrue(e.getMessage().contains("architecture") && e.getMessage().contains("\"channels\":16"),
                    e.getMessage());
        }
    }

    /** Copies the fitted state to {@code copy}'s state directory, where a context rooted at {@code copy} finds it. */
    private static Path copyState(Path copy) throws IOException {
        Path state = Files.createDirectories(copy.resolve("state"));
        try (Stream<Path> files = Files.list(context.directory())) {
            for (Path f : files.toList()) {
                Files.copy(f, state.resolve(f.getFileName()));
            }
        }
        return state;
    }

    private static double mean(List<Double> losses, int from) {
        return losses.subList(from, from + 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
