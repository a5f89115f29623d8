package org.synthloom.api.model;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

import ai.djl.nn.Block;

/**
 * Assembles a trainable model from encoder components. Registered with
 * {@code synthloom.kind=model-recipe}; the encoders it uses are its own DS references, chosen by
 * the pipeline configuration's target filters.
 *
 * <p>The block's forward pass takes an {@link ai.djl.ndarray.NDList} of the batch fields named in
 * {@link #inputs()} ({@link Fields}), in that order, and returns an {@code NDList} whose arrays are
 * named after the outputs in {@link #outputs()}. The engine initialises the block with the shapes
 * of those fields, in the same order.
 */
@ConsumerType
public interface ModelRecipe {

    /** The {@code synthloom.kind} of model recipes. */
    String KIND = "model-recipe";

    /** @return the batch fields the model reads, in the order the block receives them */
    List<String> inputs();

    /** @return the named outputs the model produces */
    Set<String> outputs();

    /**
     * Creates a new, uninitialised model.
     *
     * @param spec the data shapes
     * @return the model block
     */
    Block newModel(DataSpec spec);
}
