package org.synthloom.vqgan.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.models.nn.SavedParameters;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * One fit of the tokenizer on a pipeline's human images, or the load of what an earlier fit saved
 * in the same directory.
 *
 * <ol>
 *   <li>Phase 1, {@code vqgan-ae}: the engine trains the plain autoencoder (no quantiser), so that
 *       the encoder's outputs mean something before codes are chosen among them.
 *   <li>The trained encoder runs on {@code kmeans.samples} human images (not the held-back ones);
 *       k-means (k-means++ seeding, seeded with the fit's seed) over its outputs gives the
 *       codebook, so that every code starts where the data is and none starts dead.
 *   <li>Phase 2, {@code vqgan}: the engine trains the VQ model, which starts from the
 *       autoencoder's encoder and decoder and the k-means codebook.
 *   <li>Measured and reported as {@code vqgan/...}: PSNR of the reconstructions of the held-back
 *       images (every tenth human image), codebook usage and perplexity over all human images.
 *   <li>Saved in the fit's directory: the parameters ({@value #PARAMETERS}) and, written last, a
 *       small JSON ({@value #STATE}) with the architecture, image and grid size, the codebook's
 *       identity and the measurements.
 * </ol>
 */
final class Fitting {

    /** The saved parameters (DJL's block format). */
    static final String PARAMETERS = "vqgan.params";
    /** The saved description, written last: its presence means the state is complete. */
    static final String STATE = "vqgan.json";
    /** Every {@code HELD_BACK}-th human image (index {@code % HELD_BACK == HELD_BACK - 1}) is held back from k-means. */
    static final int HELD_BACK = 10;

    /** 2: the decoder's last convolution learns 16 channels and keeps 3 (see {@code Convolutions}). */
    private static final int FORMAT = 2;
    private static final Logger LOG = LoggerFactory.getLogger(Fitting.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Settings settings;
    private final String version;
    private final FitContext context;

    Fitting(Settings settings, String version, FitContext context) {
        this.settings = settings;
        this.version = version;
        this.context = context;
    }

    /** @return the fitted tokenizer, loaded if the directory holds a complete state, else learnt and saved */
    FittedVqGan fitOrLoad() throws IOException {
        int imageSize = context.imageSize();
        int grid = settings.gridSize(imageSize);
        Path dir = context.directory();
        if (Files.exists(dir.resolve(STATE))) {
            return load(dir, imageSize, grid);
        }
        long t0 = System.nanoTime();
        VqGanBlock autoencoder = (VqGanBlock) context.train("vqgan-ae",
                new VqGanRecipe(false, () -> new VqGanBlock(settings, false)), List.of(objective()),
                options(settings.autoencoderSteps()));
        long t1 = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>();
        NDArray codebook;
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray points = latents(autoencoder, imageSize, scope);
            codebook = KMeans.fit(points, settings.codebookSize(), settings.kmeansIterations(), context.seed(),
                    context.manager());
            NDArray counts = CodeStats.counts(Quantizer.nearest(points, codebook), settings.codebookSize());
            metrics.put("kmeans_code_usage", (double) CodeStats.usage(counts).getFloat());
            metrics.put("autoencoder_psnr", autoencoderPsnr(autoencoder, imageSize, scope));
        }
        long t2 = System.nanoTime();
        NDArray initial = codebook;
        VqGanBlock model = (VqGanBlock) context.train("vqgan",
                new VqGanRecipe(true, () -> VqGanBlock.continuing(autoencoder, settings, initial)), List.of(objective()),
                options(settings.steps()));
        long t3 = System.nanoTime();
        String hash = save(model, dir);
        String identity = VqGan.NAME + "@" + version + "/" + hash;
        FittedVqGan fitted = new FittedVqGan(model, settings.codebookSize(), imageSize, grid, identity);
        metrics.putAll(measure(fitted));
        if (!Double.isFinite(metrics.get("psnr"))) {
            // A diverged training (NaN parameters) must not become a state that later fits load.
            context.report(VqGan.NAME, metrics);
            throw new IllegalStateException(VqGan.PID + ": the VQ training diverged (reconstruction PSNR "
                    + metrics.get("psnr") + ", " + metrics.get("codes_used").intValue() + " codes used; "
                    + nonFinite(model) + "), so no state was saved in " + dir + "; lower learning.rate ("
                    + settings.learningRate() + ")");
        }
        long t4 = System.nanoTime();
        metrics.put("autoencoder_seconds", (t1 - t0) / 1e9);
        metrics.put("kmeans_seconds", (t2 - t1) / 1e9);
        metrics.put("vq_seconds", (t3 - t2) / 1e9);
        metrics.put("measure_seconds", (t4 - t3) / 1e9);
        context.report(VqGan.NAME, metrics);
        writeState(dir, imageSize, grid, identity, metrics);
        LOG.info("{} fitted on {}x{} images: {}", identity, imageSize, imageSize, metrics);
        return fitted;
    }

    /** @return which parameters hold NaN or infinite values, for the message of a failed fit */
    private static String nonFinite(Block model) {
        List<String> bad = new ArrayList<>();
        for (var p : model.getParameters()) {
            NDArray a = p.getValue().getArray();
            try (NDManager scope = a.getManager().newSubManager()) {
                NDArray v = a.stopGradient();
                v.attach(scope);
                if (v.isNaN().logicalOr(v.isInfinite()).any().getBoolean()) {
                    bad.add(p.getKey());
                }
            }
        }
        return bad.isEmpty() ? "every parameter is finite" : "not finite: " + String.join(", ", bad);
    }

    private VqGanObjective objective() {
        return new VqGanObjective(settings.codebookSize());
    }

    private TrainingOptions options(int steps) {
        // No weight decay: it would pull the codebook towards zero, away from the encoder's outputs.
        return new TrainingOptions(steps, settings.batchSize(), settings.learningRate(), 0, Math.max(1, steps / 20));
    }

    /**
     * @return the encoder's outputs on up to {@code kmeans.samples} human images that are not held
     *     back, as detached float32 {@code (N * g * g, D)}
     */
    private NDArray latents(VqGanBlock autoencoder, int imageSize, NDManager scope) throws IOException {
        List<NDArray> parts = new ArrayList<>();
        List<ImagePixels> chunk = new ArrayList<>();
        int taken = 0;
        try (SampleSource source = context.open()) {
            int index = 0;
            for (Optional<Sample> s = source.next(); s.isPresent() && taken < settings.kmeansSamples(); s = source.next()) {
                if (index++ % HELD_BACK == HELD_BACK - 1) {
                    continue;
                }
                chunk.add(pixels(s.get()));
                taken++;
                if (chunk.size() == FittedVqGan.CHUNK) {
                    parts.add(encode(autoencoder, chunk, imageSize, scope));
                    chunk.clear();
                    context.progress("vqgan-kmeans", taken, settings.kmeansSamples());
                }
            }
        }
        if (!chunk.isEmpty()) {
            parts.add(encode(autoencoder, chunk, imageSize, scope));
        }
        if (parts.isEmpty()) {
            throw new IllegalStateException(VqGan.NAME + " found no human images to initialise its codebook with");
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
    }

    /** @return the mean PSNR of the warm-up autoencoder's reconstructions of the held-back images (what quantising costs is the difference) */
    private double autoencoderPsnr(VqGanBlock autoencoder, int imageSize, NDManager scope) throws IOException {
        double sum = 0;
        int n = 0;
        List<ImagePixels> chunk = new ArrayList<>();
        try (SampleSource source = context.open()) {
            int index = 0;
            for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                if (index++ % HELD_BACK == HELD_BACK - 1) {
                    chunk.add(pixels(s.get()));
                }
                if (chunk.size() == FittedVqGan.CHUNK) {
                    sum += reconstructWith(autoencoder, chunk, imageSize, scope);
                    n += chunk.size();
                    chunk.clear();
                }
            }
        }
        if (!chunk.isEmpty()) {
            sum += reconstructWith(autoencoder, chunk, imageSize, scope);
            n += chunk.size();
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double reconstructWith(VqGanBlock autoencoder, List<ImagePixels> images, int imageSize, NDManager scope) {
        try (NDManager step = scope.newSubManager()) {
            NDArray x = Pixels.normalised(images, imageSize, step);
            NDArray y = autoencoder.forward(new ParameterStore(step, false), new NDList(x), false).get(0);
            return Pixels.psnr(y, x).sum().getFloat();
        }
    }

    private NDArray encode(VqGanBlock autoencoder, List<ImagePixels> images, int imageSize, NDManager scope) {
        try (NDManager step = scope.newSubManager()) {
            NDArray z = autoencoder.encode(new ParameterStore(step, false), Pixels.normalised(images, imageSize, step),
                    false, null);
            NDArray flat = z.stopGradient().transpose(0, 2, 3, 1).reshape(-1, settings.embeddingDim()).duplicate();
            flat.attach(scope);
            return flat;
        }
    }

    private static ImagePixels pixels(Sample sample) {
        return sample.pixels().orElseThrow(() -> new IllegalStateException("human sample " + sample.id()
                + " has no pixels for " + VqGan.NAME + " to learn from"));
    }

    /**
     * Encodes every human image (codebook usage) and decodes the held-back ones (PSNR).
     *
     * @return {@code psnr} (mean over the held-back images, in dB; over all images if there are
     *     fewer than {@value #HELD_BACK}), {@code held_back_images}, {@code code_usage}, {@code codes_used},
     *     {@code perplexity}, {@code images}
     */
    static Map<String, Double> measure(FittedVqGan fitted, SampleSource source, NDManager manager,
            Progress progress) throws IOException {
        int k = fitted.codebookSize();
        Tally t = new Tally(k);
        List<ImagePixels> held = new ArrayList<>();
        List<ImagePixels> rest = new ArrayList<>();
        int index = 0;
        for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
            boolean isHeld = index++ % HELD_BACK == HELD_BACK - 1;
            List<ImagePixels> chunk = isHeld ? held : rest;
            chunk.add(pixels(s.get()));
            if (chunk.size() == FittedVqGan.CHUNK) {
                t.flush(fitted, chunk, isHeld, manager);
                progress.at(t.images);
            }
        }
        if (!held.isEmpty()) {
            t.flush(fitted, held, true, manager);
        }
        if (!rest.isEmpty()) {
            t.flush(fitted, rest, false, manager);
        }
        long[] counts = t.counts;
        double psnrHeldBack = t.psnrHeldBack;
        int heldBack = t.heldBack;
        double psnrAll = t.psnrAll;
        int images = t.images;
        long total = 0;
        int used = 0;
        for (long c : counts) {
            total += c;
            used += c > 0 ? 1 : 0;
        }
        double entropy = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = c / (double) total;
                entropy -= p * Math.log(p);
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("psnr", heldBack > 0 ? psnrHeldBack / heldBack : psnrAll / Math.max(1, images));
        m.put("held_back_images", (double) heldBack);
        m.put("code_usage", used / (double) k);
        m.put("codes_used", (double) used);
        m.put("perplexity", Math.exp(entropy));
        m.put("images", (double) images);
        return m;
    }

    /** The running sums of a measurement. */
    private static final class Tally {
        final long[] counts;
        double psnrHeldBack;
        int heldBack;
        double psnrAll;
        int images;

        Tally(int codebookSize) {
            counts = new long[codebookSize];
        }

        /** Encodes and decodes a chunk, adds its codes and PSNRs, and empties it. */
        void flush(FittedVqGan fitted, List<ImagePixels> chunk, boolean held, NDManager manager) {
            double sum = reconstruct(fitted, chunk, counts, manager);
            if (held) {
                psnrHeldBack += sum;
                heldBack += chunk.size();
            }
            psnrAll += sum;
            images += chunk.size();
            chunk.clear();
        }
    }

    /** Receives how many images a measurement has done. */
    interface Progress {
        void at(long done);
    }

    private Map<String, Double> measure(FittedVqGan fitted) throws IOException {
        try (SampleSource source = context.open(); NDManager scope = context.manager().newSubManager()) {
            return measure(fitted, source, scope, done -> context.progress("vqgan-measure", done, 0));
        }
    }

    /**
     * Encodes and decodes a chunk, adds its codes to {@code counts}.
     *
     * @return the sum of the chunk's per-image PSNRs
     */
    private static double reconstruct(FittedVqGan fitted, List<ImagePixels> chunk, long[] counts, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = Pixels.normalised(chunk, fitted.imageSize(), scope);
            ParameterStore parameters = new ParameterStore(scope, false);
            NDArray codes = fitted.model().codes(parameters, x);
            NDArray reconstruction = fitted.model().images(parameters, codes, fitted.grid());
            for (long c : codes.toLongArray()) {
                counts[(int) c]++;
            }
            return Pixels.psnr(reconstruction, x).sum().getFloat();
        }
    }

    /** Saves the parameters; @return the first 16 hex digits of their SHA-256 */
    private static String save(Block model, Path dir) throws IOException {
        return SavedParameters.save(model, dir.resolve(PARAMETERS));
    }

    private void writeState(Path dir, int imageSize, int grid, String identity, Map<String, Double> metrics)
            throws IOException {
        JsonObject state = new JsonObject();
        state.addProperty("format", FORMAT);
        state.add("architecture", settings.architecture());
        state.addProperty("image.size", imageSize);
        state.addProperty("grid", grid);
        state.addProperty("codebook", identity);
        state.add("metrics", GSON.toJsonTree(metrics));
        Path temporary = dir.resolve(STATE + ".tmp");
        Files.writeString(temporary, GSON.toJson(state), StandardCharsets.UTF_8);
        Files.move(temporary, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Loads a complete state, checking that it is this configuration's, for this image size, and
     * intact. A damaged or foreign state is an error naming the file, not a reason to fit again:
     * refitting would overwrite it, and the evidence of what went wrong with it.
     */
    private FittedVqGan load(Path dir, int imageSize, int grid) throws IOException {
        Path file = dir.resolve(STATE);
        JsonObject state;
        String identity;
        try {
            state = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!state.has("format") || state.get("format").getAsInt() != FORMAT || !state.has("codebook")) {
                throw new IOException(file + " has an unknown format; delete " + dir + " to fit again");
            }
            if (!settings.architecture().equals(state.get("architecture"))) {
                throw new IOException(file + " was saved by a tokenizer of architecture " + state.get("architecture")
                        + ", not " + settings.architecture() + "; delete " + dir + " to fit again");
            }
            if (!state.has("image.size") || state.get("image.size").getAsInt() != imageSize || !state.has("grid")
                    || state.get("grid").getAsInt() != grid) {
                throw new IOException(file + " was fitted on " + state.get("image.size") + " pixel images, not "
                        + imageSize + "; delete " + dir + " to fit again");
            }
            identity = state.get("codebook").getAsString();
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | ClassCastException
                | NumberFormatException e) {
            throw new IOException(file + " is not the JSON a fit of " + VqGan.NAME + " writes (" + e.getMessage()
                    + "); delete " + dir + " to fit again", e);
        }
        Path parameters = dir.resolve(PARAMETERS);
        String hash = SavedParameters.hash(parameters);
        if (!identity.endsWith("/" + hash)) {
            throw new IOException(parameters + " does not hold the parameters of " + identity + " (its hash is " + hash
                    + "); delete " + dir + " to fit again");
        }
        VqGanBlock model = new VqGanBlock(settings, true);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(parameters)))) {
            model.loadParameters(context.manager(), in);
        } catch (MalformedModelException e) {
            throw new IOException(parameters + " does not fit the model: " + e.getMessage(), e);
        }
        LOG.info("{} loaded from {}", identity, dir);
        return new FittedVqGan(model, settings.codebookSize(), imageSize, grid, identity);
    }
}
