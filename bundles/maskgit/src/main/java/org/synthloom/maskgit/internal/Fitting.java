package org.synthloom.maskgit.internal;

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
import java.util.SplittableRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.models.nn.SavedParameters;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * One fit of the generator on a pipeline's human token grids and captions, or the load of what an
 * earlier fit saved in the same directory.
 *
 * <ol>
 *   <li>The engine trains the model with its own loop ({@link FitContext#train}, label
 *       {@value #LABEL}) on the masked-token loss ({@link MaskedTokenLoss}); the model masks each
 *       batch itself, so the engine's batches (token grids, captions, masks) are all it needs.
 *   <li>Measured and reported as {@code maskgit/...}: masked-token loss and accuracy at mask ratio
 *       1/2 on up to {@value #MEASURED} human samples (training data: the engine trains on all of it)
 *       against the accuracy of always answering the most frequent code, and the decoding speed.
 *   <li>Saved in the fit's directory: the parameters ({@value #PARAMETERS}) and, written last, a
 *       small JSON ({@value #STATE}) with the architecture, the data shapes, how it was trained, the
 *       codebook's and the text tokenizer's identity and the measurements.
 * </ol>
 */
final class Fitting {

    /** Names the training in progress output and metrics. */
    static final String LABEL = MaskGit.NAME;
    /** The saved parameters (DJL's block format). */
    static final String PARAMETERS = "maskgit.params";
    /** The saved description, written last: its presence means the state is complete. */
    static final String STATE = "maskgit.json";
    /** Human samples the fit measures the masked-token accuracy on. */
    static final int MEASURED = 256;
    /** Captions whose decoding the fit times. */
    static final int TIMED = 32;

    private static final int FORMAT = 1;
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

    /** @return the fitted generator, loaded if the directory holds a complete state, else learnt and saved */
    FittedMaskGit fitOrLoad() throws IOException {
        TokenGrid probe = probe();
        Tokenizer tokenizer = context.tokenizer();
        Path dir = context.directory();
        if (Files.exists(dir.resolve(STATE))) {
            return load(dir, probe, tokenizer);
        }
        long t0 = System.nanoTime();
        List<Dims> built = new ArrayList<>(1);
        MaskGitRecipe recipe = new MaskGitRecipe(spec -> {
            Dims dims = dims(spec, probe);
            built.add(dims);
            return newBlock(dims, tokenizer);
        });
        MaskGitBlock model = (MaskGitBlock) context.train(LABEL, recipe, List.of(new MaskedTokenLoss()),
                new TrainingOptions(settings.steps(), settings.batchSize(), settings.learningRate(),
                        settings.weightDecay(), Math.max(1, settings.steps() / 20)));
        long t1 = System.nanoTime();
        String identity = MaskGit.NAME + "@" + version + "/" + save(model, dir);
        FittedMaskGit fitted = new FittedMaskGit(model, settings, tokenizer, probe.codebook(),
                context.imageTokenizer().orElse(null), version, identity);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_seconds", (t1 - t0) / 1e9);
        metrics.putAll(measure(fitted, tokenizer));
        context.report(LABEL, metrics);
        writeState(dir, model.dims(), probe.codebook(), tokenizer, identity, metrics);
        LOG.info("{} fitted on {}x{} grids of {}: {}", identity, probe.rows(), probe.columns(), probe.codebook(), metrics);
        return fitted;
    }

    /** @return the first human sample's grid: its codebook and size are what the model learns */
    private TokenGrid probe() throws IOException {
        try (SampleSource source = context.open()) {
            Sample first = source.next().orElseThrow(() -> new IllegalStateException(MaskGit.NAME
                    + " has no human samples to learn from"));
            TokenGrid grid = first.tokens().orElseThrow(() -> new IllegalStateException(MaskGit.NAME
                    + " learns from VQ token grids and human sample " + first.id() + " has none: give the pipeline an"
                    + " image tokenizer (image.tokenizer.target)"));
            if (grid.rows() != grid.columns()) {
                throw new IllegalStateException(MaskGit.NAME + " generates square token grids, and human sample "
                        + first.id() + " has a " + grid.rows() + "x" + grid.columns() + " grid");
            }
            return grid;
        }
    }

    private static Dims dims(DataSpec spec, TokenGrid probe) {
        if (spec.tokenGridSize() != probe.rows() || spec.codebookSize() != probe.codebookSize()) {
            throw new IllegalStateException("the engine sized the model for a " + spec.tokenGridSize() + "-grid of "
                    + spec.codebookSize() + " codes, the human data has " + probe);
        }
        return new Dims(spec.vocabularySize(), spec.contextLength(), spec.codebookSize(), spec.tokenGridSize());
    }

    /** A new, uninitialised model whose empty caption is the pipeline's tokenisation of {@code ""}. */
    private MaskGitBlock newBlock(Dims dims, Tokenizer tokenizer) {
        try (NDManager scope = context.manager().newSubManager()) {
            NDList empty = FittedMaskGit.textBatches(tokenizer, dims.context()).texts(List.of(""))
                    .toNDList(scope, scope.getDevice());
            return new MaskGitBlock(settings, dims, empty.get(Fields.TEXT_TOKENS).toType(DataType.INT32, false)
                    .toIntArray(), empty.get(Fields.TEXT_MASK).toType(DataType.INT32, false).toIntArray());
        }
    }

    /**
     * Measures the fitted model: {@code masked_accuracy} and {@code masked_loss} (cross-entropy, nats)
     * of its predictions at half of the positions of up to {@value #MEASURED} human grids (chosen with
     * the fit's seed), {@code majority_accuracy} (always the most frequent code of those grids: the
     * accuracy a model ignoring caption and context would reach), {@code chance_accuracy} (1/K), and
     * {@code grids_per_second} of decoding {@value #TIMED} human captions.
     */
    private Map<String, Double> measure(FittedMaskGit fitted, Tokenizer tokenizer) throws IOException {
        Dims dims = fitted.model().dims();
        int n = dims.tokens();
        List<int[]> grids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (SampleSource source = context.open()) {
            for (Optional<Sample> s = source.next(); s.isPresent() && grids.size() < MEASURED; s = source.next()) {
                Sample sample = s.get();
                if (sample.tokens().isPresent() && !sample.captions().isEmpty()) {
                    grids.add(sample.tokens().get().ids());
                    texts.add(sample.captions().get(0).text());
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (grids.isEmpty()) {
            return m;
        }
        int b = grids.size();
        int[] tokens = new int[b * n];
        int[] ids = new int[b * n];
        int[] targets = new int[b * n];
        long[] counts = new long[dims.codebookSize()];
        SplittableRandom random = new SplittableRandom(context.seed());
        for (int i = 0; i < b; i++) {
            System.arraycopy(grids.get(i), 0, tokens, i * n, n);
            for (int p = 0; p < n; p++) {
                counts[grids.get(i)[p]]++;
            }
            int[] order = random.ints(n).toArray();
            Integer[] positions = new Integer[n];
            for (int p = 0; p < n; p++) {
                positions[p] = p;
            }
            java.util.Arrays.sort(positions, (x, y) -> Integer.compare(order[x], order[y]));
            for (int p = 0; p < n; p++) {
                ids[i * n + p] = grids.get(i)[p];
                targets[i * n + p] = -1;
            }
            for (int j = 0; j < n / 2; j++) {
                int p = positions[j];
                ids[i * n + p] = dims.maskId();
                targets[i * n + p] = grids.get(i)[p];
            }
        }
        try (NDManager scope = context.manager().newSubManager()) {
            NDList captions = FittedMaskGit.textBatches(tokenizer, dims.context()).texts(texts)
                    .toNDList(scope, scope.getDevice());
            NDArray logits = fitted.model().logits(new ParameterStore(scope, false), scope.create(ids, new Shape(b, n)),
                    captions.get(Fields.TEXT_TOKENS), captions.get(Fields.TEXT_MASK), false);
            NDArray target = scope.create(targets, new Shape(b, n));
            logits.setName(MaskGitBlock.LOGITS);
            target.setName(MaskGitBlock.TARGETS);
            var loss = new MaskedTokenLoss().compute(new NDList(logits, target), new NDList());
            m.put("masked_loss", (double) loss.loss().getFloat());
            m.put("masked_accuracy", (double) loss.metrics().get("masked_accuracy").getFloat());
        }
        long most = 0;
        long all = 0;
        for (long c : counts) {
            most = Math.max(most, c);
            all += c;
        }
        m.put("majority_accuracy", most / (double) all);
        m.put("chance_accuracy", 1.0 / dims.codebookSize());
        m.put("measured_samples", (double) b);
        List<String> timed = texts.subList(0, Math.min(TIMED, texts.size()));
        long[] seeds = new long[timed.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = FittedMaskGit.sampleSeed(context.seed(), i);
        }
        long started = System.nanoTime();
        try (NDManager scope = context.manager().newSubManager()) {
            fitted.decode(timed, seeds, scope, null);
        }
        m.put("grids_per_second", timed.size() / ((System.nanoTime() - started) / 1e9));
        return m;
    }

    /** Saves the parameters; @return the first 16 hex digits of their SHA-256 */
    private static String save(MaskGitBlock model, Path dir) throws IOException {
        return SavedParameters.save(model, dir.resolve(PARAMETERS));
    }

    private static String tokenizerIdentity(Tokenizer tokenizer) {
        return tokenizer.getClass().getName() + "/" + tokenizer.vocabularySize();
    }

    private void writeState(Path dir, Dims dims, String codebook, Tokenizer tokenizer, String identity,
            Map<String, Double> metrics) throws IOException {
        JsonObject state = new JsonObject();
        state.addProperty("format", FORMAT);
        state.add("architecture", settings.architecture());
        state.add("data", dims.toJson());
        state.add("training", settings.training());
        state.addProperty("codebook", codebook);
        state.addProperty("text.tokenizer", tokenizerIdentity(tokenizer));
        state.addProperty("model", identity);
        state.add("metrics", GSON.toJsonTree(metrics));
        Path temporary = dir.resolve(STATE + ".tmp");
        Files.writeString(temporary, GSON.toJson(state), StandardCharsets.UTF_8);
        Files.move(temporary, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads a complete state, checking that it is this configuration's, for this data, and intact. */
    private FittedMaskGit load(Path dir, TokenGrid probe, Tokenizer tokenizer) throws IOException {
        Path file = dir.resolve(STATE);
        JsonObject state;
        try {
            state = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + " is not the JSON a fit of " + MaskGit.NAME + " writes: " + e.getMessage(), e);
        }
        if (!state.has("format") || state.get("format").getAsInt() != FORMAT || !state.has("model")
                || !state.has("data")) {
            throw new IOException(file + " has an unknown format; delete the directory to fit again");
        }
        if (!settings.architecture().equals(state.get("architecture"))) {
            throw new IOException(file + " was saved by a model of architecture " + state.get("architecture") + ", not "
                    + settings.architecture());
        }
        JsonObject data = state.getAsJsonObject("data");
        Dims dims = new Dims(data.get("text.vocabulary").getAsInt(), data.get("context.length").getAsInt(),
                data.get("codebook.size").getAsInt(), data.get("grid").getAsInt());
        if (!probe.codebook().equals(state.get("codebook").getAsString()) || probe.rows() != dims.grid()
                || probe.codebookSize() != dims.codebookSize()) {
            throw new IOException(file + " was fitted on " + dims.grid() + "-grids of " + state.get("codebook")
                    + ", the human data has " + probe);
        }
        if (!tokenizerIdentity(tokenizer).equals(state.get("text.tokenizer").getAsString())) {
            throw new IOException(file + " was fitted with the text tokenizer " + state.get("text.tokenizer")
                    + ", the pipeline has " + tokenizerIdentity(tokenizer));
        }
        String identity = state.get("model").getAsString();
        Path parameters = dir.resolve(PARAMETERS);
        String hash = SavedParameters.hash(parameters);
        if (!identity.endsWith("/" + hash)) {
            throw new IOException(parameters + " does not hold the parameters of " + identity + " (its hash is " + hash
                    + "); delete the directory to fit again");
        }
        MaskGitBlock model = newBlock(dims, tokenizer);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(parameters)))) {
            model.loadParameters(context.manager(), in);
        } catch (MalformedModelException e) {
            throw new IOException(parameters + " does not fit the model: " + e.getMessage(), e);
        }
        LOG.info("{} loaded from {}", identity, dir);
        return new FittedMaskGit(model, settings, tokenizer, probe.codebook(), context.imageTokenizer().orElse(null),
                version, identity);
    }
}
