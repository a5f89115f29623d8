package org.synthloom.tokenizers.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Fittable;

/**
 * The {@code bpe} tokenizer: GPT-2's byte-level BPE, learnt by the platform on a pipeline's human
 * captions. The registered service is unfitted (its encoding methods throw) unless
 * {@code vocabulary.file} and {@code merges.file} are configured; {@link #fit} trains merges on
 * the captions of {@link FitContext#open()} (or loads those an earlier fit saved in
 * {@link FitContext#directory()}) and returns the fitted tokenizer. Special ids of a trained
 * vocabulary: pad 0, start 1, end 2; the bytes 3..258; merges from 259.
 */
@Component(service = {Tokenizer.class, Fittable.class}, configurationPid = BpeTokenizer.PID)
@SynthloomPlugin(kind = Tokenizer.KIND, name = BpeTokenizer.NAME)
@Designate(ocd = BpeConfig.class)
public class BpeTokenizer implements Tokenizer, Fittable<Tokenizer> {

    static final String PID = "org.synthloom.tokenizers.bpe";
    static final String NAME = "bpe";
    private static final Logger LOG = LoggerFactory.getLogger(BpeTokenizer.class);

    private final int vocabularySize;
    private final int minFrequency;
    private final String[] specials;
    /** The configured files' model, or null: unfitted. */
    private final BpeModel loaded;

    /**
     * @param context the bundle's context (the Synthloom home for relative paths)
     * @param config the configuration
     * @throws IOException if configured files cannot be read
     */
    @Activate
    public BpeTokenizer(BundleContext context, BpeConfig config) throws IOException {
        this(Home.of(context), config);
    }

    BpeTokenizer(Path home, BpeConfig config) throws IOException {
        this.vocabularySize = config.vocabulary_size();
        this.minFrequency = config.min_frequency();
        this.specials = new String[] {config.pad_token(), config.start_token(), config.end_token()};
        if (vocabularySize < BpeTrainer.SPECIALS + BpeTrainer.BYTES) {
            throw new IllegalArgumentException(PID + ": vocabulary.size must be at least 259 (3 special tokens and 256 bytes),"
                    + " not " + vocabularySize);
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException(PID + ": min.frequency must be at least 1, not " + minFrequency);
        }
        String[] roles = {"pad.token", "start.token", "end.token"};
        for (int i = 0; i < 3; i++) {
            if (specials[i].isEmpty()) {
                throw new IllegalArgumentException(PID + ": " + roles[i] + " is empty");
            }
        }
        boolean vocab = !config.vocabulary_file().isBlank();
        boolean merges = !config.merges_file().isBlank();
        if (vocab != merges) {
            throw new IllegalArgumentException(PID + ": set both vocabulary.file and merges.file, or neither (vocabulary.file '"
                    + config.vocabulary_file() + "', merges.file '" + config.merges_file() + "')");
        }
        if (vocab) {
            Path v = home.resolve(config.vocabulary_file().strip()).normalize();
            Path m = home.resolve(config.merges_file().strip()).normalize();
            try {
                this.loaded = BpeModel.load(v, m, specials);
            } catch (IllegalArgumentException | IOException e) {
                throw new IllegalArgumentException(PID + ": vocabulary.file / merges.file: " + e.getMessage(), e);
            }
            LOG.info("{}: {} ids and {} merges from {}", NAME, loaded.vocabularySize(), loaded.merges().size(), v);
        } else {
            for (int i = 0; i < 3; i++) {
                // a trained vocabulary gives ids 0, 1, 2 to three different tokens
                if (java.util.Arrays.asList(specials).indexOf(specials[i]) != i) {
                    throw new IllegalArgumentException(PID + ": " + roles[i] + " '" + specials[i] + "' must differ from the"
                            + " other special tokens to train a vocabulary");
                }
                // a special token that is a single pre-token could be learnt as an ordinary token
                if (ByteLevel.split(specials[i]).size() < 2) {
                    throw new IllegalArgumentException(PID + ": " + roles[i] + " '" + specials[i] + "' could be learnt from"
                            + " text as an ordinary token; use one that mixes punctuation and letters, like <|pad|>");
                }
            }
            this.loaded = null;
        }
    }

    private BpeModel model() {
        if (loaded == null) {
            throw new IllegalStateException(NAME + ": this tokenizer has no vocabulary yet: a pipeline fits it on its human"
                    + " captions (it is Fittable) and uses the fitted instance; or set vocabulary.file and merges.file (PID "
                    + PID + ")");
        }
        return loaded;
    }

    /**
     * Trains on the context's human captions, or loads what an earlier fit saved in its directory.
     *
     * @param context the pipeline's human data and the directory to keep the model in
     * @return the fitted tokenizer; this service itself when files are configured
     * @throws IOException if the captions cannot be read or the model cannot be saved or loaded
     */
    @Override
    public Tokenizer fit(FitContext context) throws IOException {
        if (loaded != null) {
            return this;
        }
        Path dir = context.directory();
        Path vocab = dir.resolve(BpeModel.VOCAB);
        Path merges = dir.resolve(BpeModel.MERGES);
        if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
            BpeModel model = BpeModel.load(vocab, merges, specials);
            LOG.info("{}: loaded {} ids from {}", NAME, model.vocabularySize(), dir);
            return model;
        }
        long start = System.nanoTime();
        BpeTrainer trainer = new BpeTrainer();
        long captions = 0;
        try (SampleSource source = context.open()) {
            for (Optional<Sample> sample = source.next(); sample.isPresent(); sample = source.next()) {
                for (Caption caption : sample.get().captions()) {
                    trainer.add(caption.text());
                    captions++;
                }
            }
        }
        if (captions == 0) {
            throw new IOException(NAME + ": the pipeline's human data has no captions to learn a vocabulary from");
        }
        long target = vocabularySize - (long) BpeTrainer.SPECIALS - BpeTrainer.BYTES;
        BpeModel model = trainer.train(vocabularySize, minFrequency, specials,
                done -> context.progress(NAME, done, target));
        // training may stop before the vocabulary is full: end the progress at what was done
        context.progress(NAME, model.merges().size(), model.merges().size());
        model.save(dir);
        context.report(NAME, Map.of("vocabulary_size", (double) model.vocabularySize(), "merges",
                (double) model.merges().size(), "captions", (double) captions, "bytes_per_token", trainer.bytesPerToken()));
        LOG.info("{}: learnt {} merges ({} ids) from {} captions, {} distinct pre-tokens, in {} ms; saved in {}", NAME,
                model.merges().size(), model.vocabularySize(), captions, trainer.distinctWords(),
                (System.nanoTime() - start) / 1_000_000, dir);
        return model;
    }

    @Override
    public int vocabularySize() {
        return model().vocabularySize();
    }

    @Override
    public int[] encode(String text) {
        return model().encode(text);
    }

    @Override
    public String decode(int[] ids) {
        return model().decode(ids);
    }

    @Override
    public int padId() {
        return loaded == null ? 0 : loaded.padId();
    }

    @Override
    public int startId() {
        return loaded == null ? 1 : loaded.startId();
    }

    @Override
    public int endId() {
        return loaded == null ? 2 : loaded.endId();
    }
}
