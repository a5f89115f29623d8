package org.synthloom.pipeline.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.data.Sample;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.Objective;
import org.synthloom.store.wds.DecodingSource;
import org.synthloom.store.wds.SampleCodec;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The pipeline's training stage: the recipe's model on human and synthetic shards mixed at the
 * configured ratio, with the weighted objectives, through the engine's {@link TrainingLoop}. The
 * objectives are read at every step, so a swapped objective trains the next batch. The stage's
 * address covers the data, the components (and what fitted ones learnt) and every setting that
 * changes the result.
 */
final class TrainStage {

    static final String NAME = "train";

    private TrainStage() {}

    /** The model of a recipe with its data shapes, as training and evaluation build it. */
    record ModelShape(DataSpec spec, List<Shape> inputShapes, boolean pixels, boolean tokens, int tokensPerImage) {}

    static StageDir run(RunContext ctx, StageDir human, StageDir synthetic, List<String> classNames) throws Exception {
        PipelineSpec spec = ctx.spec;
        Bound<ModelRecipe> recipe = ctx.component(ctx.components.recipe, spec.recipeTarget, 0);
        Bound<Tokenizer> tokenizer = ctx.component(ctx.components.tokenizer, spec.tokenizerTarget, 0);
        List<Bound<Objective>> objectives = ctx.components(ctx.components.objectives, spec.objectiveTarget, 0);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("human", human.address());
        parameters.addProperty("synthetic", synthetic == null ? "" : synthetic.address());
        parameters.addProperty("synthetic.ratio", synthetic == null ? 0 : spec.syntheticRatio);
        parameters.addProperty("recipe", recipe.identity());
        parameters.addProperty("tokenizer", tokenizer.identity() + ctx.fits.address(tokenizer));
        JsonArray objectiveIds = new JsonArray();
        objectives.forEach(o -> objectiveIds.add(o.identity() + "*" + weight(spec, o)));
        parameters.add("objectives", objectiveIds);
        for (String key : List.of("context.length", "image.size", "batch.size", "train.steps", "optimizer", "learning.rate",
                "weight.decay", "schedule", "warmup.steps", "shuffle.buffer", "seed", "device")) {
            parameters.add(key, spec.effective().get(key));
        }
        for (String key : List.of("batch.grouping", "caption.view", "caption.view.tokens", "caption.views",
                "caption.view.include.full")) {
            // Present only when not the default, so that earlier stages keep their addresses.
            if (spec.effective().has(key)) {
                parameters.add(key, spec.effective().get(key));
            }
        }
        StageDir dir = ctx.stage(NAME, parameters);
        if (dir.complete()) {
            return dir;
        }
        Tokenizer text = ctx.fits.tokenizer();
        List<Path> humanShards = new HumanStage.Shards(human).paths();
        List<Path> syntheticShards = synthetic == null ? List.of() : new HumanStage.Shards(synthetic).paths();
        ModelShape shape = shape(recipe.service(), text, spec, classNames,
                syntheticShards.isEmpty() ? humanShards : syntheticShards, spec.batchSize);
        TrainingLoop.Objectives weighted = new TrainingLoop.Objectives() {
            @Override
            public List<Bound<Objective>> at(int step) {
                return ctx.components(ctx.components.objectives, spec.objectiveTarget, step);
            }

            @Override
            public double weight(Bound<Objective> objective) {
                return TrainStage.weight(spec, objective);
            }
        };
        try (Model holder = Model.newInstance("train-" + ctx.runId, ctx.device, ctx.devices.engine().getEngineName())) {
            TrainingLoop.train(ctx, TrainingLoop.Settings.of(spec), holder, recipe.service(), shape, weighted, text,
                    classNames, humanShards, syntheticShards, new Checkpoints(dir));
        }
        dir.manifest().addProperty("final.step", spec.trainSteps);
        dir.markComplete();
        return dir;
    }

    private static double weight(PipelineSpec spec, Bound<Objective> objective) {
        return spec.objectiveWeights.getOrDefault(objective.name(), 1.0);
    }

    /** Works out the shapes the model is built and initialised for, from the spec and a first sample. */
    static ModelShape shape(ModelRecipe recipe, Tokenizer tokenizer, PipelineSpec spec, List<String> classNames,
            List<Path> shards, int batchSize) throws IOException {
        List<String> inputs = recipe.inputs();
        boolean pixels = inputs.contains(Fields.IMAGES);
        boolean tokens = inputs.contains(Fields.IMAGE_TOKENS);
        DataSpec.Builder data = DataSpec.builder().images(spec.imageSize, 3)
                .text(tokenizer.vocabularySize(), spec.contextLength).classes(classNames.size());
        int tokensPerImage = 0;
        if (tokens) {
            try (DecodingSource source = DecodingSource.of(shards, SampleCodec.create("probe").withPixelDecoding(false))) {
                Sample first = source.next().orElseThrow(() -> new StageFailure("no training data to size the model"));
                var grid = first.tokens().orElseThrow(() -> new StageFailure("the model reads VQ tokens, and sample "
                        + first.id() + " has none: set image.tokenizer.target, generate in token space or use a"
                        + " pixel-space recipe"));
                tokensPerImage = grid.ids().length;
                data.tokens(grid.rows(), grid.codebookSize());
            }
        }
        int b = batchSize;
        List<Shape> shapes = new ArrayList<>();
        for (String input : inputs) {
            shapes.add(switch (input) {
                case Fields.IMAGES -> new Shape(b, 3, spec.imageSize, spec.imageSize);
                case Fields.IMAGE_TOKENS -> new Shape(b, tokensPerImage);
                case Fields.TEXT_TOKENS, Fields.TEXT_MASK -> new Shape(b, spec.contextLength);
                case Fields.LABELS, Fields.CAPTION_GROUPS -> new Shape(b);
                default -> throw new StageFailure("the model reads '" + input + "', a field the engine does not provide");
            });
        }
        return new ModelShape(data.build(), shapes, pixels, tokens, tokensPerImage);
    }
}
