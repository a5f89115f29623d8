package org.synthloom.recaption.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.api.generate.Recaptioner;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Fittable;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.djl.DeviceService;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * The {@code clips} recaptioner (CLIPS, arXiv 2411.16828): an autoregressive caption generator
 * conditioned on an image's VQ tokens and its web caption under the combination mask
 * ({@link RecaptionBlock}), trained with the generative loss, that rewrites a sample's caption.
 *
 * <p>The registered service is untrained: {@link #recaption} refuses, and the pipeline calls
 * {@link #fit}, which trains the model on pairs of human captions of the same image (condition on
 * one, target another: {@link Examples}) and returns the fitted recaptioner
 * ({@link FittedRecaptioner}). A fit whose directory holds a saved model loads it instead.
 */
@Component(service = {Recaptioner.class, Fittable.class}, configurationPid = ClipsRecaptioner.PID)
@SynthloomPlugin(kind = Recaptioner.KIND, name = ClipsRecaptioner.NAME)
@Designate(ocd = RecaptionConfig.class)
public class ClipsRecaptioner implements Recaptioner, Fittable<Recaptioner> {

    static final String NAME = "clips";
    static final String PID = "org.synthloom.recaption";
    /** Names the fit's progress and reports ({@code recaption/loss_last}). */
    static final String LABEL = "recaption";
    private static final Logger LOG = LoggerFactory.getLogger(ClipsRecaptioner.class);

    private final String version;
    private final DeviceService devices;
    private final int width;
    private final int depth;
    private final int heads;
    private final int maxLength;
    private final TrainingOptions training;
    private final double temperature;
    private final long seed;
    private final int decodeBatch;

    /**
     * @param bundle the bundle's context (its version goes into the captions' provenance)
     * @param devices the engine: gradient scopes for the fit's training loop
     * @param config the configuration
     * @throws IllegalArgumentException naming the PID, property and value of a bad setting
     */
    @Activate
    public ClipsRecaptioner(BundleContext bundle,
            @Reference(policy = ReferencePolicy.STATIC) DeviceService devices, RecaptionConfig config) {
        this(bundle.getBundle().getVersion().toString(), devices, config);
    }

    ClipsRecaptioner(String version, DeviceService devices, RecaptionConfig config) {
        this.version = version;
        this.devices = devices;
        this.width = atLeast("width", config.width(), 1);
        this.depth = atLeast("depth", config.depth(), 1);
        this.heads = atLeast("heads", config.heads(), 1);
        if (width % heads != 0) {
            throw new IllegalArgumentException(PID + ": heads must divide width (" + width + "), not " + heads);
        }
        this.maxLength = atLeast("max.length", config.max_length(), 1);
        this.training = TrainingOptions.checked(PID, config.steps(), config.batch_size(), config.learning_rate(),
                config.weight_decay(), config.warmup_steps());
        this.temperature = config.temperature();
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(PID + ": temperature must be a number >= 0, not " + temperature);
        }
        this.seed = config.seed();
        this.decodeBatch = atLeast("decode.batch", config.decode_batch(), 1);
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
     * @throws GenerationException always, saying that the recaptioner must be fitted in a pipeline
     */
    @Override
    public List<Caption> recaption(List<Sample> samples, long requestSeed) throws GenerationException {
        throw new GenerationException(NAME + ": this recaptioner is a model that must be fitted in a pipeline before"
                + " it rewrites captions (it is Fittable: the pipeline trains it on its human captions and uses the fitted"
                + " instance); the registered service itself has not learnt anything");
    }

    /**
     * Trains the model on pairs of human captions of the same image, or loads the model an earlier
     * fit saved in the context's directory.
     *
     * @param fit the human data (with VQ tokens), the tokenizer, the directory
     * @return the fitted recaptioner; closing it releases its parameters
     * @throws IOException if the data cannot be read, has no VQ tokens or no image with two
     *     captions, or the model cannot be saved or loaded
     */
    @Override
    public Recaptioner fit(FitContext fit) throws IOException {
        Path dir = fit.directory();
        Tokenizer tokenizer = fit.tokenizer();
        long started = System.nanoTime();
        Examples examples = new Examples();
        try (SampleSource source = fit.open()) {
            for (Optional<Sample> next = source.next(); next.isPresent(); next = source.next()) {
                examples.add(next.get(), tokenizer);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + (fit.imageTokenizer().isEmpty()
                    ? " (this pipeline has no image tokenizer)" : ""), e);
        }
        if (examples.pairs.isEmpty()) {
            throw new IOException(NAME + ": none of the " + examples.images.size() + " human training samples has two"
                    + " captions, and the recaptioner learns from pairs of captions of the same image");
        }
        RecaptionBlock.Architecture architecture = new RecaptionBlock.Architecture(tokenizer.vocabularySize(),
                examples.codebookSize, examples.imageTokens, maxLength + 2, width, depth, heads);
        NDManager parameters = fit.manager().newSubManager();
        try {
            RecaptionBlock block = SavedModel.load(dir, architecture, tokenizer, parameters);
            if (block != null) {
                LOG.info("{}: loaded the recaptioner from {}", NAME, dir);
                return fitted(block, parameters, tokenizer);
            }
            Map<String, Double> report = new LinkedHashMap<>();
            report.put("images", (double) examples.images.size());
            report.put("pairs", (double) examples.pairs.size());
            long fitSeed = fit.seed() ^ (seed * 0x9E3779B97F4A7C15L);
            List<Double> losses;
            try (Model holder = Model.newInstance("recaption", fit.device(), devices.engine().getEngineName())) {
                RecaptionBlock trained = new RecaptionBlock(architecture);
                losses = Training.train(holder, trained, examples, tokenizer, training, fitSeed, devices, fit.device(),
                        done -> fit.progress(LABEL, done, training.steps()));
                SavedModel.save(dir, trained, tokenizer);
                long count = 0;
                for (Pair<String, Parameter> p : trained.getParameters()) {
                    count += p.getValue().getArray().size();
                }
                report.put("parameters", (double) count);
            }
            int k = Math.max(1, Math.min(10, losses.size() / 10));
            report.put("loss_first", mean(losses.subList(0, k)));
            report.put("loss_last", mean(losses.subList(losses.size() - k, losses.size())));
            report.put("seconds", (System.nanoTime() - started) / 1e9);
            fit.report(LABEL, report);
            LOG.info("{}: trained on {} caption pairs of {} images in {} s, loss {} -> {}; saved in {}", NAME,
                    examples.pairs.size(), examples.images.size(),
                    String.format(Locale.ROOT, "%.1f", report.get("seconds")),
                    String.format(Locale.ROOT, "%.3f", report.get("loss_first")),
                    String.format(Locale.ROOT, "%.3f", report.get("loss_last")), dir);
            // One path for a fresh and a repeated fit: the saved parameters are what serves.
            block = SavedModel.load(dir, architecture, tokenizer, parameters);
            return fitted(block, parameters, tokenizer);
        } catch (IOException | RuntimeException e) {
            parameters.close();
            throw e;
        }
    }

    private Recaptioner fitted(RecaptionBlock block, NDManager parameters, Tokenizer tokenizer) {
        return new FittedRecaptioner(version, block, parameters, tokenizer, maxLength, temperature, decodeBatch);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
