package org.synthloom.pipeline.internal;

import java.util.List;
import java.util.function.Function;

import org.synthloom.api.data.Dataset;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.generate.Recaptioner;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.train.Evaluator;
import org.synthloom.api.train.Objective;

/** The stage roles of a pipeline and the components Declarative Services binds to them. */
final class Components {

    final Slot<Dataset> dataset = new Slot<>("dataset", Dataset.KIND);
    final Slot<CaptionGenerator> captioner = new Slot<>("caption generator", CaptionGenerator.KIND);
    final Slot<ImageGenerator> generator = new Slot<>("image generator", ImageGenerator.KIND);
    final Slot<ModelRecipe> recipe = new Slot<>("model recipe", ModelRecipe.KIND);
    final Slot<Objective> objectives = new Slot<>("objective", Objective.KIND);
    final Slot<Tokenizer> tokenizer = new Slot<>("tokenizer", Tokenizer.KIND);
    /** Bound without a DS target: the engine applies {@code image.tokenizer.target}, whose empty value means none. */
    final Slot<ImageTokenizer> imageTokenizer = new Slot<>("image tokenizer", ImageTokenizer.KIND);
    final Slot<Evaluator> evaluators = new Slot<>("evaluator", Evaluator.KIND);
    /** Bound without a DS target: the engine applies {@code recaptioner.target}, whose empty value means none. */
    final Slot<Recaptioner> recaptioner = new Slot<>("recaptioner", Recaptioner.KIND);

    /** Names of the registered services of a kind, for messages about a component that is missing. */
    final Function<String, List<String>> available;

    Components(Function<String, List<String>> available) {
        this.available = available;
    }

    List<Slot<?>> all() {
        return List.of(dataset, captioner, generator, recipe, objectives, tokenizer, imageTokenizer, evaluators,
                recaptioner);
    }
}
