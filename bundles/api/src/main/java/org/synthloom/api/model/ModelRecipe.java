package org.synthloom.api.model;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

import ai.djl.nn.Block;

/**
 * Assembles a trainable model from encoder components. Registered with
 * {@code synthloom.kind=model-recipe}; the encoders it uses are its own DS references, chosen by
 * the pipeline configuration's target filters.
 *
 * <p>The block's forward pass takes an {@link ai.djl.ndarray.NDList} of named batch fields
 * ({@link Fields}) and returns an {@code NDList} whose arrays are named after the outputs in
 * {@link #outputs()}.
 */
@ConsumerType
public interface ModelRecipe {

    /** The {@code synthloom.kind} of model recipes. */
    String KIND = "model-recipe";

    /** @return the batch fields the model reads */
    Set<String> inputs();

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
