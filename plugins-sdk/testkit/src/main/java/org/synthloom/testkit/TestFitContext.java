package org.synthloom.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.djl.GradientScope;
import org.synthloom.imageio.ResizeMode;
import org.synthloom.batch.BatchBuilder;
import org.synthloom.batch.HostBatch;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * A {@link FitContext} for a plugin's unit tests, outside OSGi and outside a pipeline: the given
 * samples play the human training data, batches are built by the engine's own {@link BatchBuilder},
 * and {@link #train} runs a plain loop (AdamW with linear warm-up and cosine decay, as the engine,
 * but without checkpoints, loader threads or mixing) on the CPU. What a training learnt is saved in
 * the directory, so a second fit with the same directory returns without training, as in a
 * pipeline. Losses and reports are kept for the test to assert on.
 *
 * <pre>{@code
 * try (TestFitContext context = TestFitContext.builder(tempDir, samples).imageSize(32).build()) {
 *     ImageTokenizer fitted = new MyTokenizer(config).fit(context);
 *     assertTrue(context.losses("mytokenizer").get(last) < context.losses("mytokenizer").get(0));
 * }
 * }</pre>
 */
public final class TestFitContext implements FitContext, AutoCloseable {

    private final Path root;
    private final Path directory;
    private final List<Sample> samples;
    private final Tokenizer tokenizer;
    private final ImageTokenizer imageTokenizer;
    private final List<String> classNames;
    private final int imageSize;
    private final int contextLength;
    private final long seed;
    private final ClasspathDevices devices = new ClasspathDevices();
    private final NDManager manager;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, List<Double>> losses = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> reports = new LinkedHashMap<>();

    private TestFitContext(Builder b) throws IOException {
        this.root = Files.createDirectories(b.root);
        this.directory = Files.createDirectories(root.resolve("state"));
        this.samples = List.copyOf(b.samples);
        this.tokenizer = b.tokenizer;
        this.imageTokenizer = b.imageTokenizer;
        this.classNames = List.copyOf(b.classNames);
        this.imageSize = b.imageSize;
        this.contextLength = b.contextLength;
        this.seed = b.seed;
        this.manager = devices.newManager(Device.cpu());
    }

    /**
     * @param directory where the fit keeps its state (a test's temporary directory)
     * @param humanSamples the samples playing the human training data
     * @return a builder
     */
    public static Builder builder(Path directory, List<Sample> humanSamples) {
        return new Builder(directory, humanSamples);
    }

    /** Builds a {@link TestFitContext}. */
    public static final class Builder {
        private final Path root;
        private final List<Sample> samples;
        private Tokenizer tokenizer = new Utf8Tokenizer();
        private ImageTokenizer imageTokenizer;
        private List<String> classNames = List.of();
        private int imageSize = 32;
        private int contextLength = 32;
        private long seed = 42;

        private Builder(Path root, List<Sample> samples) {
            this.root = Objects.requireNonNull(root, "directory");
            this.samples = Objects.requireNonNull(samples, "samples");
        }

        /**
         * @param text the pipeline's text tokenizer (default: UTF-8 bytes, pad 0, start 1, end 2)
         * @return this builder
         */
        public Builder tokenizer(Tokenizer text) {
            this.tokenizer = text;
            return this;
        }

        /**
         * @param fitted the pipeline's fitted image tokenizer; the samples should carry its tokens
         * @return this builder
         */
        public Builder imageTokenizer(ImageTokenizer fitted) {
            this.imageTokenizer = fitted;
            return this;
        }

        /**
         * @param names class names, in label order
         * @return this builder
         */
        public Builder classNames(List<String> names) {
            this.classNames = names;
            return this;
        }

        /**
         * @param pixels side of the square images
         * @return this builder
         */
        public Builder imageSize(int pixels) {
            this.imageSize = pixels;
            return this;
        }

        /**
         * @param tokens caption tokens per sample, start and end included
         * @return this builder
         */
        public Builder contextLength(int tokens) {
            this.contextLength = tokens;
            return this;
        }

        /**
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @return the context
         * @throws IOException if the directory cannot be created
         */
        public TestFitContext build() throws IOException {
            return new TestFitContext(this);
        }
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Device device() {
        return Device.cpu();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public Optional<ImageTokenizer> imageTokenizer() {
        return Optional.ofNullable(imageTokenizer);
    }

    @Override
    public SampleSource open() {
        return new SampleSource() {
            private int next;

            @Override
            public Optional<Sample> next() {
                return next < samples.size() ? Optional.of(samples.get(next++)) : Optional.empty();
            }

            @Override
            public void close() {
                next = samples.size();
            }
        };
    }

    @Override
    public Block train(String label, ModelRecipe recipe, List<Objective> objectives, TrainingOptions options)
            throws IOException {
        if (samples.isEmpty()) {
            throw new IllegalStateException("no samples to train " + label + " on");
        }
        List<String> inputs = recipe.inputs();
        boolean pixels = inputs.contains(Fields.IMAGES);
        boolean tokens = inputs.contains(Fields.IMAGE_TOKENS);
        DataSpec.Builder spec = DataSpec.builder().images(imageSize, 3).text(tokenizer.vocabularySize(), contextLength)
                .classes(classNames.size());
        int tokensPerImage = 0;
        if (tokens) {
            TokenGrid grid = samples.get(0).tokens().orElseThrow(() -> new IllegalStateException(
                    "the recipe reads VQ tokens and sample " + samples.get(0).id() + " has none"));
            tokensPerImage = grid.ids().length;
            spec.tokens(grid.rows(), grid.codebookSize());
        }
        int batchSize = options.batchSize();
        Shape[] shapes = new Shape[inputs.size()];
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = switch (inputs.get(i)) {
                case Fields.IMAGES -> new Shape(batchSize, 3, imageSize, imageSize);
                case Fields.IMAGE_TOKENS -> new Shape(batchSize, tokensPerImage);
                case Fields.TEXT_TOKENS, Fields.TEXT_MASK -> new Shape(batchSize, contextLength);
                default -> new Shape(batchSize);
            };
        }
        Model holder = Model.newInstance("test-fit-" + label, Device.cpu(), devices.engine().getEngineName());
        resources.add(holder);
        Block model = recipe.newModel(spec.build());
        holder.setBlock(model);
        devices.engine().setRandomSeed((int) seed);
        model.initialize(holder.getNDManager(), DataType.FLOAT32, shapes);
        Path saved = root.resolve(label + ".params");
        if (Files.exists(saved)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(saved)))) {
                model.loadParameters(holder.getNDManager(), in);
            } catch (MalformedModelException e) {
                throw new IOException(saved + " does not fit the model: " + e.getMessage(), e);
            }
            return model;
        }
        float peak = (float) options.learningRate();
        Tracker cosine = Tracker.cosine().setBaseValue(peak).optFinalValue(0).setMaxUpdates(options.steps()).build();
        Tracker rate = options.warmupSteps() == 0 ? cosine : Tracker.warmUp().optWarmUpBeginValue(0)
                .optWarmUpSteps(options.warmupSteps()).setMainTracker(cosine).build();
        Optimizer optimizer = Optimizer.adamW().optLearningRateTracker(rate).optWeightDecays((float) options.weightDecay())
                .build();
        BatchBuilder batches = new BatchBuilder(tokenizer, classNames, imageSize, ResizeMode.CENTER_CROP, contextLength,
                pixels, tokens, seed);
        List<Double> history = new ArrayList<>();
        losses.put(label, history);
        List<Sample> order = new ArrayList<>(samples);
        Random random = new Random(seed);
        int cursor = order.size();
        try (Trainer trainer = holder.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()}))) {
            trainer.initialize(shapes);
            for (int step = 0; step < options.steps(); step++) {
                List<Sample> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize) {
                    if (cursor == order.size()) {
                        Collections.shuffle(order, random);
                        cursor = 0;
                    }
                    batch.add(order.get(cursor++));
                }
                HostBatch host = batches.build(batch, step);
                try (NDManager scope = trainer.getManager().newSubManager();
                        GradientScope gradients = devices.newGradientScope()) {
                    NDList fields = host.toNDList(scope, Device.cpu());
                    NDList outputs = trainer.forward(HostBatch.inputs(fields, inputs));
                    NDArray total = null;
                    for (Objective objective : objectives) {
                        NDArray loss = objective.compute(outputs, fields).loss();
                        total = total == null ? loss : total.add(loss);
                    }
                    if (total == null) {
                        throw new IllegalArgumentException("no objective to train " + label + " with");
                    }
                    gradients.backward(total);
                    history.add((double) total.getFloat());
                }
                trainer.step();
            }
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(saved)))) {
            model.saveParameters(out);
        }
        return model;
    }

    @Override
    public void report(String label, Map<String, Double> metrics) {
        reports.computeIfAbsent(label, l -> new LinkedHashMap<>()).putAll(metrics);
    }

    @Override
    public void progress(String label, long done, long total) {
        // Tests read results, not progress.
    }

    /**
     * @param label a training's label
     * @return its loss at each step, in order; empty if it did not train (or loaded a saved model)
     */
    public List<Double> losses(String label) {
        return losses.getOrDefault(label, List.of());
    }

    /**
     * @param label a report's label
     * @return the metrics reported under it
     */
    public Map<String, Double> reported(String label) {
        return reports.getOrDefault(label, Map.of());
    }

    /** Closes the models trained and the manager. */
    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // a test's clean-up
            }
        }
        manager.close();
    }
}
