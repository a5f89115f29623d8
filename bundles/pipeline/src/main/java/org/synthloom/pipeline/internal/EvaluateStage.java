package org.synthloom.pipeline.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.Sample;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.api.train.Evaluator;
import org.synthloom.batch.BatchBuilder;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import com.google.gson.JsonObject;

/**
 * Rebuilds the trained model from its final checkpoint and runs every evaluator on the
 * evaluation split. Results are kept in the stage's manifest, so an unchanged model and
 * evaluator set is not evaluated twice.
 */
final class EvaluateStage {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateStage.class);

    static final String NAME = "evaluate";

    private EvaluateStage() {}

    /**
     * What the evaluators said.
     *
     * @param metrics every evaluator's metrics, by name
     * @param details text details by evaluator identity and name (e.g. the captioning evaluator's
     *     generated captions beside the human ones), for the results file and the console
     */
    record Evaluation(Map<String, Double> metrics, JsonObject details) {}

    static Evaluation run(RunContext ctx, StageDir train, StageDir human, StageDir synthetic,
            List<String> classNames) throws Exception {
        PipelineSpec spec = ctx.spec;
        Bound<Dataset> dataset = ctx.component(ctx.components.dataset, spec.datasetTarget, spec.trainSteps);
        List<Bound<Evaluator>> evaluators = ctx.components.evaluators.all();
        if (evaluators.isEmpty()) {
            evaluators = ctx.components(ctx.components.evaluators, spec.evaluatorTarget, spec.trainSteps);
        }
        Bound<ModelRecipe> recipe = ctx.component(ctx.components.recipe, spec.recipeTarget, spec.trainSteps);
        // An evaluator that reads outputs this model does not produce (captioning metrics for a contrastive
        // model) does not apply; it is reported, not failed.
        Set<String> outputs = recipe.service().outputs();
        List<String> skipped = new ArrayList<>();
        List<Bound<Evaluator>> applicable = new ArrayList<>();
        for (Bound<Evaluator> evaluator : evaluators) {
            Set<String> missing = new TreeSet<>(evaluator.service().requires());
            missing.removeAll(outputs);
            if (missing.isEmpty()) {
                applicable.add(evaluator);
            } else {
                skipped.add(evaluator.identity() + " (needs " + String.join(", ", missing) + ")");
            }
        }
        if (!skipped.isEmpty()) {
            LOG.info("run {}: evaluators that do not apply to {}: {}", ctx.runId, recipe.identity(), skipped);
        }
        evaluators = applicable;
        JsonObject parameters = new JsonObject();
        parameters.addProperty("train", train.address());
        parameters.addProperty("dataset", dataset.identity());
        parameters.addProperty("split", spec.evalSplit);
        // An evaluator's settings (split, sample limit, beam size, ...) change its results as much as its version.
        JsonObject evaluatorSettings = new JsonObject();
        evaluators.forEach(e -> evaluatorSettings.add(e.identity(), StageDir.GSON.toJsonTree(e.configuration())));
        parameters.add("evaluators", evaluatorSettings);
        StageDir dir = ctx.stage(NAME, parameters);
        if (dir.complete()) {
            return new Evaluation(read(dir), details(dir));
        }
        Tokenizer tokenizer = ctx.fits.tokenizer();
        TrainStage.ModelShape shape = TrainStage.shape(recipe.service(), tokenizer, spec, classNames,
                synthetic == null ? new HumanStage.Shards(human).paths() : new HumanStage.Shards(synthetic).paths(),
                spec.batchSize);
        Bound<ImageTokenizer> imageTokenizer = ctx.imageTokenizer();
        // Evaluation data comes from the dataset as it is: sized, and tokenized when the model reads tokens.
        UnaryOperator<List<Sample>> prepare = samples -> {
            List<Sample> sized = samples.stream().map(sample -> Images.fit(sample, spec)).toList();
            return imageTokenizer == null || !shape.tokens() ? sized : TokenStage.encode(ctx, imageTokenizer,
                    ctx.fits.serving(imageTokenizer, ImageTokenizer.class), sized);
        };
        Block model = recipe.service().newModel(shape.spec());
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonObject results = new JsonObject();
        JsonObject details = new JsonObject();
        try (Model holder = Model.newInstance("evaluate-" + ctx.runId, ctx.device, ctx.devices.engine().getEngineName())) {
            holder.setBlock(model);
            model.initialize(holder.getNDManager(), DataType.FLOAT32, shape.inputShapes().toArray(new Shape[0]));
            new Checkpoints(train).restore(spec.trainSteps, model, holder.getNDManager(), null);
            BatchBuilder builder = new BatchBuilder(tokenizer, classNames, spec.imageSize, spec.resizeMode,
                    spec.contextLength, shape.pixels(), shape.tokens(), spec.seed);
            RunContext.Progress progress = ctx.progress(NAME, 0, evaluators.size());
            for (int i = 0; i < evaluators.size(); i++) {
                Bound<Evaluator> evaluator = evaluators.get(i);
                ctx.control.boundary(spec.trainSteps);
                EvaluationResult result = null;
                while (result == null) {
                    result = ctx.attempt(evaluator, spec.trainSteps, e -> {
                        try (NDManager scope = ctx.devices.newManager(ctx.device)) {
                            return e.service().evaluate(new EngineEvaluationContext(scope, ctx.device, model,
                                    recipe.service().inputs(), builder, prepare, dataset.service(), classNames, shape, spec.imageSize));
                        }
                    }).orElse(null);
                }
                JsonObject values = new JsonObject();
                result.metrics().forEach((name, value) -> {
                    metrics.put(name, value);
                    values.addProperty(name, value);
                });
                results.add(evaluator.identity(), values);
                if (!result.details().isEmpty()) {
                    details.add(evaluator.identity(), StageDir.GSON.toJsonTree(result.details()));
                }
                progress.at(i + 1);
            }
        }
        dir.manifest().add("results", results);
        dir.manifest().add("details", details);
        dir.manifest().add("skipped.evaluators", StageDir.GSON.toJsonTree(skipped));
        dir.markComplete();
        return new Evaluation(metrics, details);
    }

    private static JsonObject details(StageDir dir) {
        JsonObject details = dir.manifest().getAsJsonObject("details");
        return details == null ? new JsonObject() : details;
    }

    private static Map<String, Double> read(StageDir dir) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonObject results = dir.manifest().getAsJsonObject("results");
        for (String evaluator : results.keySet()) {
            results.getAsJsonObject(evaluator).entrySet().forEach(e -> metrics.put(e.getKey(), e.getValue().getAsDouble()));
        }
        return metrics;
    }
}
