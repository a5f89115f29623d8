package org.synthloom.maskgit.internal;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ModelRecipe;

import ai.djl.nn.Block;

/**
 * The recipe the generator hands to the engine's training loop (internal, not a service): the model
 * reads the human token grids and captions and returns the masked-token logits and targets.
 */
final class MaskGitRecipe implements ModelRecipe {

    private final Function<DataSpec, MaskGitBlock> model;

    /** @param model makes the model for the data shapes the engine found */
    MaskGitRecipe(Function<DataSpec, MaskGitBlock> model) {
        this.model = model;
    }

    @Override
    public List<String> inputs() {
        return List.of(Fields.IMAGE_TOKENS, Fields.TEXT_TOKENS, Fields.TEXT_MASK);
    }

    @Override
    public Set<String> outputs() {
        return Set.of(MaskGitBlock.LOGITS, MaskGitBlock.TARGETS);
    }

    @Override
    public Block newModel(DataSpec spec) {
        return model.apply(spec);
    }
}
