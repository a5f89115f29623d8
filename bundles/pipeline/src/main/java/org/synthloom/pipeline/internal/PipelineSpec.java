package org.synthloom.pipeline.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.synthloom.batch.CaptionViews;
import org.synthloom.imageio.ResizeMode;

import com.google.gson.JsonObject;

/**
 * A pipeline configuration, checked: the values a run works with, the problems that prevent a run,
 * the configuration as JSON and its hash (a run resumes only a run with the same hash).
 */
final class PipelineSpec {

    final String name;
    final String description;
    final String datasetTarget;
    final String trainSplit;
    final String evalSplit;
    final int humanLimit;
    final List<String> concepts;
    final String captionerTarget;
    final int captionsPerConcept;
    final String generatorTarget;
    final int imagesPerCaption;
    final int generationBatch;
    final double syntheticRatio;
    final int shardSize;
    final int imageSize;
    final ResizeMode resizeMode;
    final String imageTokenizerTarget;
    /** The recaptioner's filter; empty: no recaption stage. */
    final String recaptionerTarget;
    final String recipeTarget;
    final String objectiveTarget;
    final Map<String, Double> objectiveWeights;
    final String tokenizerTarget;
    final int contextLength;
    final String device;
    final int batchSize;
    /** Optimisation steps: from epochs when configured, else train.steps. */
    final int trainSteps;
    private final int configuredSteps;
    final double epochs;
    final String optimizer;
    final double learningRate;
    final double weightDecay;
    final String schedule;
    final int warmupSteps;
    final int checkpointEvery;
    final int logEvery;
    final int shuffleBuffer;
    final int loaderThreads;
    /** batch.grouping = caption: batches of whole caption groups. */
    final boolean groupByCaption;
    /** The text views of training captions (caption.view, .tokens, caption.views, .include.full). */
    final CaptionViews captionViews;
    final String evaluatorTarget;
    final long seed;
    final boolean pauseOnComponentError;
    final String sourceFile;
    final List<String> problems = new ArrayList<>();
    final String json;
    final String hash;

    PipelineSpec(PipelineConfig c, Map<String, Object> properties) {
        String pid = String.valueOf(properties.getOrDefault("service.pid", ""));
        int tilde = pid.indexOf('~');
        this.name = !c.name().isBlank() ? c.name().trim() : tilde >= 0 ? pid.substring(tilde + 1) : pid;
        this.description = c.description();
        this.datasetTarget = c.dataset_target();
        this.trainSplit = c.train_split();
        this.evalSplit = c.eval_split();
        this.humanLimit = c.human_limit();
        this.concepts = List.of(c.concepts());
        this.captionerTarget = c.captioner_target();
        this.captionsPerConcept = c.captions_per_concept();
        this.generatorTarget = c.generator_target();
        this.imagesPerCaption = c.images_per_caption();
        this.generationBatch = c.generation_batch();
        this.syntheticRatio = c.synthetic_ratio();
        this.imageSize = c.image_size();
        this.imageTokenizerTarget = c.image_tokenizer_target().trim();
        this.recaptionerTarget = c.recaptioner_target().trim();
        this.recipeTarget = c.recipe_target();
        this.objectiveTarget = c.objective_target();
        this.tokenizerTarget = c.tokenizer_target();
        this.contextLength = c.context_length();
        this.device = c.device();
        this.batchSize = c.batch_size();
        this.configuredSteps = c.train_steps();
        this.epochs = c.epochs();
        this.optimizer = c.optimizer().trim().toLowerCase(Locale.ROOT);
        this.learningRate = c.learning_rate();
        this.weightDecay = c.weight_decay();
        this.schedule = c.schedule().trim().toLowerCase(Locale.ROOT);
        this.warmupSteps = c.warmup_steps();
        this.checkpointEvery = c.checkpoint_every();
        this.logEvery = Math.max(1, c.log_every());
        this.shuffleBuffer = c.shuffle_buffer();
        this.loaderThreads = Math.max(1, c.loader_threads());
        String grouping = c.batch_grouping().trim().toLowerCase(Locale.ROOT);
        this.groupByCaption = grouping.equals("caption");
        this.evaluatorTarget = c.evaluator_target();
        this.seed = c.seed();
        this.sourceFile = String.valueOf(properties.getOrDefault("felix.fileinstall.filename", ""));

        if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+")) {
            problems.add("name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        positive("batch.size", batchSize);
        positive("train.steps", configuredSteps);
        positive("image.size", imageSize);
        positive("images.per.caption", imagesPerCaption);
        positive("generation.batch", generationBatch);
        positive("shard.size", c.shard_size());
        positive("context.length", contextLength);
        if (contextLength < 3) {
            problems.add("context.length must be at least 3 (start, one token, end)");
        }
        if (captionsPerConcept < 0) {
            problems.add("captions.per.concept must not be negative (0 disables synthetic data)");
        }
        if (syntheticRatio < 0 || syntheticRatio > 1 || Double.isNaN(syntheticRatio)) {
            problems.add("synthetic.ratio must be between 0 and 1, not " + syntheticRatio);
        } else if (syntheticRatio == 1 && captionsPerConcept == 0) {
            problems.add("synthetic.ratio is 1 but captions.per.concept is 0: there would be no training data");
        }
        if (!(learningRate > 0)) {
            problems.add("learning.rate must be positive, not " + learningRate);
        }
        if (weightDecay < 0) {
            problems.add("weight.decay must not be negative");
        }
        if (!List.of("adamw", "adam", "sgd").contains(optimizer)) {
            problems.add("optimizer '" + c.optimizer() + "' is not one of adamw, adam, sgd");
        }
        if (epochs < 0 || Double.isNaN(epochs)) {
            problems.add("epochs must not be negative, not " + epochs);
        } else if (epochs > 0 && humanLimit < 0) {
            problems.add("epochs needs human.limit (the size of the human data an epoch passes over)");
        }
        if (!schedule.equals("cosine") && !schedule.equals("constant")) {
            problems.add("schedule '" + c.schedule() + "' is not one of cosine, constant");
        }
        if (!imageTokenizerTarget.isEmpty()) {
            try {
                FrameworkUtil.createFilter(imageTokenizerTarget);
            } catch (InvalidSyntaxException e) {
                problems.add("image.tokenizer.target '" + imageTokenizerTarget + "' is not an LDAP filter: " + e.getMessage());
            }
        }
        if (!recaptionerTarget.isEmpty()) {
            try {
                FrameworkUtil.createFilter(recaptionerTarget);
            } catch (InvalidSyntaxException e) {
                problems.add("recaptioner.target '" + recaptionerTarget + "' is not an LDAP filter: " + e.getMessage());
            }
        }
        ResizeMode mode = ResizeMode.CENTER_CROP;
        try {
            mode = ResizeMode.parse(c.resize_mode());
        } catch (IllegalArgumentException e) {
            problems.add("resize.mode: " + e.getMessage());
        }
        this.resizeMode = mode;
        String policy = c.on_component_error().trim().toLowerCase(Locale.ROOT);
        if (!policy.equals("fail") && !policy.equals("pause")) {
            problems.add("on.component.error '" + c.on_component_error() + "' is not one of fail, pause");
        }
        this.pauseOnComponentError = policy.equals("pause");
        if (!grouping.equals("none") && !grouping.equals("caption")) {
            problems.add("batch.grouping '" + c.batch_grouping() + "' is not one of none, caption");
        } else if (groupByCaption && imagesPerCaption > batchSize && imagesPerCaption > 0 && batchSize > 0) {
            problems.add("batch.grouping = caption never splits a caption's images across batches, so batch.size ("
                    + batchSize + ") must be at least images.per.caption (" + imagesPerCaption + ")");
        }
        this.captionViews = views(c);
        this.objectiveWeights = weights(c.objective_weights());
        // Generation writes whole batches per shard, so that a resumed stage restarts at a batch boundary.
        int unit = generationBatch * imagesPerCaption;
        this.shardSize = unit <= 0 ? Math.max(1, c.shard_size()) : Math.max(unit, Math.round(c.shard_size() / (float) unit) * unit);

        this.trainSteps = steps();
        // The hash covers the effective values (defaults included), not how they were written, and
        // leaves out what does not change results (reporting and loader settings, descriptions).
        this.json = StageDir.GSON.toJson(effective());
        this.hash = Hashes.sha256(json);
    }

    private CaptionViews views(PipelineConfig c) {
        try {
            CaptionViews.Mode mode = CaptionViews.Mode.parse(c.caption_view());
            positive("caption.view.tokens", c.caption_view_tokens());
            positive("caption.views", c.caption_views());
            if (c.caption_view_tokens() > 0 && c.caption_views() > 0) {
                return CaptionViews.of(mode, c.caption_view_tokens(), c.caption_views(), c.caption_view_include_full());
            }
        } catch (IllegalArgumentException e) {
            problems.add("caption.view: " + e.getMessage());
        }
        return CaptionViews.full();
    }

    private void positive(String key, long value) {
        if (value <= 0) {
            problems.add(key + " must be positive, not " + value);
        }
    }

    private Map<String, Double> weights(String[] pairs) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            try {
                if (eq <= 0) {
                    throw new NumberFormatException();
                }
                weights.put(pair.substring(0, eq).trim(), Double.parseDouble(pair.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                problems.add("objective.weights entry '" + pair + "' is not name=number");
            }
        }
        return weights;
    }

    /**
     * @return the number of optimisation steps: from epochs over the human data when configured
     *     (each batch holds (1 - synthetic ratio) human samples on average), else train.steps
     */
    private int steps() {
        if (epochs <= 0 || humanLimit < 0) {
            return configuredSteps;
        }
        double humanPerBatch = batchSize * (synthetic() ? 1 - syntheticRatio : 1);
        return (int) Math.max(1, Math.ceil(epochs * humanLimit / Math.max(humanPerBatch, 1e-9)));
    }

    boolean synthetic() {
        return captionsPerConcept > 0 && syntheticRatio > 0;
    }

    /** @return every effective value, as JSON: what the run store keeps and the hash covers */
    JsonObject effective() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("dataset.target", datasetTarget);
        o.addProperty("train.split", trainSplit);
        o.addProperty("eval.split", evalSplit);
        o.addProperty("human.limit", humanLimit);
        o.add("concepts", StageDir.GSON.toJsonTree(concepts));
        o.addProperty("captioner.target", captionerTarget);
        o.addProperty("captions.per.concept", captionsPerConcept);
        o.addProperty("generator.target", generatorTarget);
        o.addProperty("images.per.caption", imagesPerCaption);
        o.addProperty("generation.batch", generationBatch);
        o.addProperty("synthetic.ratio", syntheticRatio);
        o.addProperty("shard.size", shardSize);
        o.addProperty("image.size", imageSize);
        o.addProperty("resize.mode", resizeMode.name().toLowerCase(Locale.ROOT));
        o.addProperty("image.tokenizer.target", imageTokenizerTarget);
        o.addProperty("recipe.target", recipeTarget);
        o.addProperty("objective.target", objectiveTarget);
        o.add("objective.weights", StageDir.GSON.toJsonTree(new TreeMap<>(objectiveWeights)));
        o.addProperty("tokenizer.target", tokenizerTarget);
        o.addProperty("context.length", contextLength);
        o.addProperty("device", device);
        o.addProperty("batch.size", batchSize);
        o.addProperty("train.steps", trainSteps);
        o.addProperty("optimizer", optimizer);
        o.addProperty("learning.rate", learningRate);
        o.addProperty("weight.decay", weightDecay);
        o.addProperty("schedule", schedule);
        o.addProperty("warmup.steps", warmupSteps);
        o.addProperty("shuffle.buffer", shuffleBuffer);
        o.addProperty("evaluator.target", evaluatorTarget);
        o.addProperty("seed", seed);
        // Added after runs were stored: written only when not the default, so that earlier
        // configurations keep their hash (and their stages their addresses).
        if (groupByCaption) {
            o.addProperty("batch.grouping", "caption");
        }
        if (!recaptionerTarget.isEmpty()) {
            o.addProperty("recaptioner.target", recaptionerTarget);
        }
        if (captionViews.mode() != CaptionViews.Mode.FULL || captionViews.rowsPerImage() != 1) {
            o.addProperty("caption.view", captionViews.mode().label());
            o.addProperty("caption.view.tokens", captionViews.tokens());
            o.addProperty("caption.views", captionViews.views());
            o.addProperty("caption.view.include.full", captionViews.includesFull());
        }
        return o;
    }
}
