package org.synthloom.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgi.framework.BundleContext;
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
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.djl.DeviceService;

import ai.djl.ndarray.NDManager;

/**
 * The bench's probe inside the runtime: a Declarative Services component the bench copies into
 * {@code plugins/} (its jar is made by {@code ProbeJar}, its component description is
 * {@code OSGI-INF/probe.xml}). On activation it writes {@code data/bench/probe.json} with its
 * bundle version and the time: the bench times a jar copy until that file names the new version
 * (the hot-swap latency). Then it times Synth2's generation with the image generator and image
 * tokenizer the runtime offers, in token space and in pixel space (decode + re-encode), and writes
 * {@code data/bench/synth.json}, or the reason it could not.
 */
public class Probe {

    /** Captions per measurement: the same for both spaces. */
    static final int CAPTIONS = 16;

    private List<DeviceService> devices;
    private List<ImageGenerator> generators;
    private List<ImageTokenizer> tokenizers;

    /** For Declarative Services. */
    public Probe() {}

    /**
     * Announces the new version, then measures generation off the activating thread.
     *
     * @param context the probe bundle's context
     * @throws IOException if the announcement cannot be written
     */
    public void activate(BundleContext context) throws IOException {
        Path dir = Path.of("data", "bench").toAbsolutePath();
        Files.createDirectories(dir);
        write(dir.resolve("probe.json"), String.format(Locale.ROOT, "{\"version\": \"%s\", \"activated_ms\": %d}",
                context.getBundle().getVersion(), System.currentTimeMillis()));
        Thread thread = new Thread(() -> measure(dir), "synthloom-bench-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void measure(Path dir) {
        String result;
        try {
            result = synth();
        } catch (Exception | LinkageError e) {
            result = na("generation failed: " + e);
        }
        try {
            write(dir.resolve("synth.json"), result);
        } catch (IOException e) {
            // The bench reports the missing file as n/a with its timeout.
        }
    }

    private String synth() throws GenerationException {
        ImageGenerator generator = generators.stream().filter(g -> g.outputSpace() == ImageSpace.TOKENS).findFirst()
                .orElse(null);
        if (generator == null) {
            return na("no token-space image generator in the bench composition (Synth2's maskgit generator, "
                    + "bundles/maskgit, is not installed); generators present: " + names(generators));
        }
        if (tokenizers.isEmpty()) {
            return na("no image tokenizer in the bench composition (the VQ-GAN, bundles/vqgan, is not installed)");
        }
        ImageTokenizer tokenizer = tokenizers.get(0);
        DeviceService device = devices.get(0);
        List<GeneratedCaption> captions = new ArrayList<>();
        String[] colours = {"red", "green", "blue", "yellow"};
        String[] shapes = {"circle", "square", "triangle", "star"};
        for (int i = 0; i < CAPTIONS; i++) {
            String text = "a " + colours[i % 4] + " " + shapes[i / 4 % 4];
            captions.add(new GeneratedCaption(Concept.of(text), new Caption(text, Provenance.synthetic("bench", "1", i))));
        }
        ImageRequest request = new ImageRequest(captions, 1, 42);
        try (NDManager manager = device.newManager(device.defaultDevice())) {
            generator.generate(new ImageRequest(captions.subList(0, 2), 1, 7), manager); // warm-up
            long start = System.nanoTime();
            int tokenPairs = generator.generate(request, manager).size();
            double tokenSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            List<Sample> samples = generator.generate(request, manager);
            List<TokenGrid> grids = new ArrayList<>();
            for (Sample sample : samples) {
                grids.add(sample.tokens().orElseThrow(() -> new IllegalStateException(
                        "the token-space generator returned a sample without tokens: " + sample.id())));
            }
            List<ImagePixels> pixels = tokenizer.decode(grids, manager);
            int pixelPairs = tokenizer.encode(pixels, manager).size();
            double pixelSeconds = (System.nanoTime() - start) / 1e9;
            return String.format(Locale.ROOT, "{\"generator\": \"%s\", \"tokenizer\": \"%s\", \"captions\": %d,"
                    + " \"token_pairs_per_s\": %.4f, \"pixel_pairs_per_s\": %.4f}", generator.getClass().getName(),
                    tokenizer.getClass().getName(), CAPTIONS, tokenPairs / tokenSeconds, pixelPairs / pixelSeconds);
        }
    }

    private static String names(List<?> services) {
        List<String> names = new ArrayList<>();
        services.forEach(s -> names.add(s.getClass().getSimpleName()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String na(String reason) {
        return "{\"na\": \"" + reason.replace("\\", "\\\\").replace("\"", "'") + "\"}";
    }

    private static void write(Path file, String text) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(part, text, StandardCharsets.UTF_8);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
