package org.synthloom.vqgan.internal;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ModelRecipe;

import ai.djl.nn.Block;

/**
 * The recipe the tokenizer hands to the engine's training loop (internal, not a service): the
 * model reads {@link Fields#IMAGES} and returns the reconstruction, the VQ loss and, when it
 * quantises, the codes.
 */
final class VqGanRecipe implements ModelRecipe {

    private final boolean quantizes;
    private final Supplier<VqGanBlock> model;

    /**
     * @param quantizes whether the models quantise
     * @param model makes the model (a fresh autoencoder, or a VQ model continuing from one)
     */
    VqGanRecipe(boolean quantizes, Supplier<VqGanBlock> model) {
        this.quantizes = quantizes;
        this.model = model;
    }

    @Override
    public List<String> inputs() {
        return List.of(Fields.IMAGES);
    }

    @Override
    public Set<String> outputs() {
        return quantizes ? Set.of(VqGanBlock.RECONSTRUCTION, VqGanBlock.VQ_LOSS, VqGanBlock.CODES)
                : Set.of(VqGanBlock.RECONSTRUCTION, VqGanBlock.VQ_LOSS);
    }

    @Override
    public Block newModel(DataSpec spec) {
        return model.get();
    }
}
