package org.synthloom.captionlm.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Fittable;
import org.synthloom.api.train.TrainingOptions;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * The {@code lm} caption generator: a small language model trained in the pipeline on the human
 * captions, a causal transformer conditioned on the class ({@link CaptionLmBlock}), sampled with
 * temperature and top-p ({@link Sampler}).
 *
 * <p>The registered service is untrained: {@link #generate} refuses, and the pipeline calls
 * {@link #fit}, which trains the model on the human captions and their class labels through
 * {@link FitContext#train} (the engine's loop, checkpoints and progress) with next-token
 * cross-entropy, saves it in the fit's directory and returns the fitted generator
 * ({@link FittedCaptionLm}). A fit whose directory holds a saved model loads it instead.
 */
@Component(service = {CaptionGenerator.class, Fittable.class}, configurationPid = CaptionLm.PID)
@SynthloomPlugin(kind = CaptionGenerator.KIND, name = CaptionLm.NAME)
@Designate(ocd = CaptionLmConfig.class)
public class CaptionLm implements CaptionGenerator, Fittable<CaptionGenerator> {

    static final String NAME = "lm";
    static final String PID = "org.synthloom.captionlm";
    /** Names the training's progress bar and metrics ({@code caption-lm/loss}) and the fit's reports. */
    static final String LABEL = "caption-lm";
    private static final Logger LOG = LoggerFactory.getLogger(CaptionLm.class);

    private final String version;
    private final int width;
    private final int depth;
    private final int heads;
    private final int context;
    private final TrainingOptions training;
    private final Sampler.Settings sampling;

    /**
     * @param bundle the bundle's context (its version goes into the captions' provenance)
     * @param config the configuration
     * @throws IllegalArgumentException naming the PID, property and value of a bad setting
     */
    @Activate
    public CaptionLm(BundleContext bundle, CaptionLmConfig config) {
        this(bundle.getBundle().getVersion().toString(), config);
    }

    CaptionLm(String version, CaptionLmConfig config) {
        this.version = version;
        this.width = atLeast("width", config.width(), 1);
        this.depth = atLeast("depth", config.depth(), 1);
        this.heads = atLeast("heads", config.heads(), 1);
        if (width % heads != 0) {
            throw new IllegalArgumentException(PID + ": heads must divide width (" + width + "), not " + heads);
        }
        this.context = atLeast("context", config.context(), 3);
        this.training = TrainingOptions.checked(PID, config.steps(), config.batch_size(), config.learning_rate(),
                config.weight_decay(), config.warmup_steps());
        double temperature = config.temperature();
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(PID + ": temperature must be a number >= 0, not " + temperature);
        }
        double topP = config.top_p();
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException(PID + ": top.p must be in (0, 1], not " + topP);
        }
        int maxLength = config.max_length();
        if (maxLength < 1 || maxLength > context - 1) {
            throw new IllegalArgumentException(PID + ": max.length must be in [1, context - 1 = " + (context - 1)
                    + "], not " + maxLength);
        }
        int retries = atLeast("dedup.retries", config.dedup_retries(), 0);
        int sampleBatch = atLeast("sample.batch", config.sample_batch(), 1);
        this.sampling = new Sampler.Settings(temperature, topP, maxLength, retries, sampleBatch);
    }

    private static int atLeast(String property, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(PID + ": " + property + " must be >= " + minimum + ", not " + value);
        }
        return value;
    }

    /**
     * Refuses: the untrained service has no model.
     *
     * @throws GenerationException always, saying that the generator must be fitted in a pipeline
     */
    @Override
    public List<GeneratedCaption> generate(CaptionRequest request) throws GenerationException {
        throw new GenerationException(NAME + ": this caption generator is a language model that must be fitted in a"
                + " pipeline before it writes captions (it is Fittable: the pipeline trains it on its human captions and"
                + " uses the fitted instance); the registered service itself has not learnt anything");
    }

    /**
     * Trains the model on the human captions and their classes, or loads the model an earlier fit
     * saved in the context's directory.
     *
     * @param fit the human data, the tokenizer, the trainer
     * @return the fitted generator; closing it releases the parameters it loaded
     * @throws IOException if the data cannot be read, or the model cannot be saved or loaded
     */
    @Override
    public CaptionGenerator fit(FitContext fit) throws IOException {
        Path dir = fit.directory();
        Tokenizer tokenizer = fit.tokenizer();
        List<String> classes = fit.classNames();
        CaptionLmBlock.Architecture architecture = new CaptionLmBlock.Architecture(tokenizer.vocabularySize(),
                classes.size() + 1, width, depth, heads, context);
        SavedModel.Description wanted = SavedModel.describe(architecture, classes, tokenizer);
        SavedModel.Description saved = SavedModel.find(dir);
        if (saved != null) {
            SavedModel.check(dir, saved, wanted);
            NDManager parameters = fit.manager().newSubManager();
            try {
                CaptionLmBlock block = SavedModel.load(dir, saved, parameters);
                LOG.info("{}: loaded the caption model from {}", NAME, dir);
                return fitted(block, parameters, tokenizer, classes, parameters);
            } catch (IOException | RuntimeException e) {
                parameters.close();
                throw e;
            }
        }
        long started = System.nanoTime();
        Map<String, Double> report = new LinkedHashMap<>(survey(fit, classes));
        Block trained = fit.train(LABEL, new Recipe(architecture), List.of(new NextTokenLoss()), training);
        if (!(trained instanceof CaptionLmBlock block)) {
            throw new IllegalStateException(NAME + ": training returned a " + trained.getClass().getName()
                    + ", not the caption model the recipe builds");
        }
        SavedModel.save(dir, block, wanted);
        long count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            count += p.getValue().getArray().size();
        }
        report.put("parameters", (double) count);
        report.put("seconds", (System.nanoTime() - started) / 1e9);
        fit.report(LABEL, report);
        LOG.info("{}: trained the caption model ({} parameters) in {} s; saved in {}", NAME, count,
                String.format(Locale.ROOT, "%.1f", report.get("seconds")), dir);
        // The parameters live in the engine's model, which the run closes.
        NDManager device = block.getParameters().get(0).getValue().getArray().getManager();
        return fitted(block, device, tokenizer, classes, null);
    }

    private CaptionGenerator fitted(CaptionLmBlock block, NDManager parameters, Tokenizer tokenizer, List<String> classes,
            AutoCloseable resources) {
        Sampler sampler = new Sampler(block, parameters, tokenizer, sampling);
        return new FittedCaptionLm(version, sampler, classes, sampling.dedupRetries(), resources);
    }

    /**
     * Counts the human captions per class before training, and warns of the classes without any:
     * their class token learns nothing, so their captions will not be about them.
     */
    private static Map<String, Double> survey(FitContext fit, List<String> classes) throws IOException {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.putIfAbsent(classes.get(i), i);
        }
        long[] perClass = new long[classes.size()];
        long captions = 0;
        long unlabelled = 0;
        try (SampleSource source = fit.open()) {
            for (Optional<Sample> next = source.next(); next.isPresent(); next = source.next()) {
                Sample sample = next.get();
                int n = sample.captions().size();
                captions += n;
                Integer c = sample.labels().isEmpty() ? null : index.get(sample.labels().get(0));
                if (c == null) {
                    unlabelled += n;
                } else {
                    perClass[c] += n;
                }
            }
        }
        List<String> without = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            if (perClass[i] == 0) {
                without.add(classes.get(i));
            }
        }
        if (!without.isEmpty()) {
            LOG.warn("{}: no human caption of the classes {}: the model cannot learn what their captions say", NAME,
                    without);
        }
        Map<String, Double> report = new LinkedHashMap<>();
        report.put("human_captions", (double) captions);
        report.put("unlabelled_captions", (double) unlabelled);
        report.put("classes_without_captions", (double) without.size());
        return report;
    }

    /** Builds the block and names the batch fields it reads, for the engine's training loop. */
    private static final class Recipe implements ModelRecipe {

        private static final List<String> INPUTS = List.of(Fields.TEXT_TOKENS, Fields.TEXT_MASK, Fields.LABELS);
        private static final Set<String> OUTPUTS = Collections.unmodifiableSet(
                new LinkedHashSet<>(List.of(Fields.CAPTION_LOGITS, Fields.CAPTION_TARGETS)));

        private final CaptionLmBlock.Architecture architecture;

        Recipe(CaptionLmBlock.Architecture architecture) {
            this.architecture = architecture;
        }

        @Override
        public List<String> inputs() {
            return INPUTS;
        }

        @Override
        public Set<String> outputs() {
            return OUTPUTS;
        }

        @Override
        public Block newModel(DataSpec spec) {
            if (spec.vocabularySize() != architecture.vocabularySize()) {
                throw new IllegalArgumentException(NAME + ": the batches' vocabulary has " + spec.vocabularySize()
                        + " ids, the tokenizer " + architecture.vocabularySize());
            }
            return new CaptionLmBlock(architecture);
        }
    }
}
