package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.FitContext;
import org.synthloom.api.train.Fittable;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.store.wds.DecodingSource;
import org.synthloom.store.wds.SampleCodec;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import com.google.gson.JsonObject;

/**
 * The fitted instances of a run's {@link Fittable} components. A component that learns is fitted
 * once per run on the human training data, in a directory addressed by its identity and
 * configuration, the data, the tokenizers it sees and the seed: a resumed or repeated pipeline
 * finds the state there and the plugin loads it instead of learning again. A swapped component is
 * fitted when it first serves. Fitted instances and their tensors live until the run ends.
 */
final class Fits implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fits.class);
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]+");

    private final RunContext ctx;
    private final Map<String, Object> fitted = new HashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private StageDir pixels;
    private StageDir data;
    private Bound<Tokenizer> tokenizer;
    private Bound<ImageTokenizer> imageTokenizer;

    Fits(RunContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Sets the human training data that components learn from.
     *
     * @param humanPixels the human stage (images as the pipeline sized them): what an image tokenizer learns from
     * @param prepared the human data as the model reads it (with VQ tokens when there is an image tokenizer)
     */
    void data(StageDir humanPixels, StageDir prepared) {
        this.pixels = humanPixels;
        this.data = prepared;
    }

    /** Sets the pipeline's text tokenizer (fitted before anything else learns). */
    void tokenizer(Bound<Tokenizer> bound) {
        this.tokenizer = bound;
    }

    /** Sets the pipeline's image tokenizer, whose fitted instance the others see. */
    void imageTokenizer(Bound<ImageTokenizer> bound) {
        this.imageTokenizer = bound;
    }

    /** @return the fitted image tokenizer of the pipeline, if it has one */
    Optional<ImageTokenizer> imageTokenizer() {
        return imageTokenizer == null ? Optional.empty() : Optional.of(serving(imageTokenizer, ImageTokenizer.class));
    }

    /** @return the pipeline's text tokenizer, fitted if it learns */
    Tokenizer tokenizer() {
        return serving(tokenizer, Tokenizer.class);
    }

    /**
     * @return the address of what fitting the component produces, or {@code ""} if it does not
     *     learn; part of the address of every stage whose output depends on it
     */
    String address(Bound<?> component) {
        if (!(component.service() instanceof Fittable<?>)) {
            return "";
        }
        return Hashes.address(StageDir.GSON.toJson(parameters(component)));
    }

    /**
     * @return the instance that does the component's work in this run: the fitted one if it
     *     learns (fitting it now if it has not served yet), else the service itself
     */
    <T> T serving(Bound<T> component, Class<T> type) {
        if (!(component.service() instanceof Fittable<?> fittable)) {
            return component.service();
        }
        String key = component.identity() + "#" + component.serviceId();
        Object instance = fitted.get(key);
        if (instance == null) {
            instance = RunContext.unchecked(component.identity() + " could not learn from the human data",
                    () -> fit(component, fittable));
            if (!type.isInstance(instance)) {
                throw new StageFailure(component.identity() + " returned a fitted " + instance.getClass().getName()
                        + ", which is not a " + type.getSimpleName(), component.identity(), null);
            }
            fitted.put(key, instance);
            if (instance instanceof AutoCloseable closeable && instance != component.service()) {
                resources.add(closeable);
            }
        }
        return type.cast(instance);
    }

    private Object fit(Bound<?> component, Fittable<?> fittable) throws Exception {
        JsonObject parameters = parameters(component);
        StageDir dir = StageDir.open(ctx.store.artifacts("fits"), "fit", parameters);
        ctx.recordArtifact("fit:" + component.kind() + "/" + component.name(), dir);
        boolean learnt = dir.complete();
        long started = System.nanoTime();
        LOG.info("run {}: {} {} in {}", ctx.runId, component.identity(), learnt ? "loads what it learnt" : "learns",
                dir.path());
        NDManager manager = ctx.devices.newManager(ctx.device);
        resources.add(manager);
        Object instance = fittable.fit(new Context(component, dir, manager));
        if (instance == null) {
            throw new StageFailure(component.identity() + " returned no fitted instance", component.identity(), null);
        }
        dir.manifest().addProperty("seconds", (System.nanoTime() - started) / 1e9);
        dir.markComplete();
        return instance;
    }

    /** Everything that determines what a component learns. */
    private JsonObject parameters(Bound<?> component) {
        PipelineSpec spec = ctx.spec;
        JsonObject p = new JsonObject();
        p.addProperty("component", component.identity());
        p.add("configuration", StageDir.GSON.toJsonTree(component.configuration()));
        boolean isImageTokenizer = imageTokenizer != null && component.service() == imageTokenizer.service();
        boolean isTokenizer = tokenizer != null && component.service() == tokenizer.service();
        StageDir source = isImageTokenizer || isTokenizer ? pixels : data;
        p.addProperty("data", source == null ? "" : source.address());
        p.addProperty("tokenizer", isTokenizer || tokenizer == null ? "" : tokenizer.identity() + "|" + address(tokenizer));
        p.addProperty("image.tokenizer", isImageTokenizer || isTokenizer || imageTokenizer == null ? ""
                : imageTokenizer.identity() + "|" + address(imageTokenizer));
        p.addProperty("image.size", spec.imageSize);
        p.addProperty("context.length", spec.contextLength);
        p.addProperty("seed", spec.seed);
        return p;
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("run {}: closing a fitted component failed: {}", ctx.runId, e.toString());
            }
        }
        resources.clear();
        fitted.clear();
    }

    /** The engine's side of {@link FitContext} for one component. */
    private final class Context implements FitContext {

        private final Bound<?> component;
        private final StageDir dir;
        private final NDManager manager;
        private final Path state;
        private final Map<String, RunContext.Progress> progress = new LinkedHashMap<>();

        Context(Bound<?> component, StageDir dir, NDManager manager) throws IOException {
            this.component = component;
            this.dir = dir;
            this.manager = manager;
            this.state = Files.createDirectories(dir.path().resolve("state"));
        }

        private boolean isTokenizer() {
            return tokenizer != null && component.service() == tokenizer.service();
        }

        private boolean isImageTokenizer() {
            return imageTokenizer != null && component.service() == imageTokenizer.service();
        }

        @Override
        public Path directory() {
            return state;
        }

        @Override
        public long seed() {
            return Hashes.seed(ctx.spec.seed, "fit:" + component.kind() + "/" + component.name());
        }

        @Override
        public Device device() {
            return ctx.device;
        }

        @Override
        public NDManager manager() {
            return manager;
        }

        @Override
        public int imageSize() {
            return ctx.spec.imageSize;
        }

        @Override
        public List<String> classNames() {
            return ctx.classNames();
        }

        @Override
        public Tokenizer tokenizer() {
            if (isTokenizer()) {
                throw new IllegalStateException("the text tokenizer is being fitted: it cannot use itself");
            }
            return Fits.this.tokenizer();
        }

        @Override
        public Optional<ImageTokenizer> imageTokenizer() {
            return isImageTokenizer() || isTokenizer() ? Optional.empty() : Fits.this.imageTokenizer();
        }

        @Override
        public SampleSource open() throws IOException {
            StageDir source = isImageTokenizer() || isTokenizer() ? pixels : data;
            return DecodingSource.of(new HumanStage.Shards(source).paths(), SampleCodec.create("human"));
        }

        @Override
        public Block train(String label, ModelRecipe recipe, List<Objective> objectives, TrainingOptions options)
                throws IOException {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("training label '" + label + "' must be letters, digits, '.', '_' or '-'");
            }
            if (objectives.isEmpty()) {
                throw new IllegalArgumentException("no objective to train " + label + " with");
            }
            Tokenizer text = tokenizer();
            StageDir source = isImageTokenizer() ? pixels : data;
            List<Path> shards = new HumanStage.Shards(source).paths();
            TrainStage.ModelShape shape = TrainStage.shape(recipe, text, ctx.spec, ctx.classNames(), shards,
                    options.batchSize());
            List<Bound<Objective>> fixed = new ArrayList<>();
            for (Objective objective : objectives) {
                fixed.add(new Bound<>(objective, Objective.KIND, label + "." + objective.getClass().getSimpleName(),
                        component.version(), -1, 0, Map.of()));
            }
            TrainingLoop.Objectives all = new TrainingLoop.Objectives() {
                @Override
                public List<Bound<Objective>> at(int step) {
                    return fixed;
                }

                @Override
                public double weight(Bound<Objective> objective) {
                    return 1;
                }
            };
            Model holder = Model.newInstance("fit-" + label + "-" + ctx.runId, ctx.device, ctx.devices.engine().getEngineName());
            resources.add(holder);
            return TrainingLoop.train(ctx, TrainingLoop.Settings.fit(ctx.spec, label, options, Hashes.seed(seed(), label)),
                    holder, recipe, shape, all, text, ctx.classNames(), shards, List.of(),
                    new Checkpoints(dir, "checkpoints-" + label));
        }

        @Override
        public void report(String label, Map<String, Double> metrics) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("report label '" + label + "' must be letters, digits, '.', '_' or '-'");
            }
            Map<String, Double> named = new LinkedHashMap<>();
            metrics.forEach((name, value) -> named.put(label + "/" + name, value));
            ctx.events.emit(org.synthloom.api.run.RunEvent.Type.METRIC, b -> {
                b.message(label);
                named.forEach(b::metric);
                return b;
            });
        }

        @Override
        public void progress(String label, long done, long total) {
            progress.computeIfAbsent(label, l -> ctx.progress(l, done, total)).at(done);
        }
    }
}
