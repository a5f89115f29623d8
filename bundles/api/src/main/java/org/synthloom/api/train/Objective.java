package org.synthloom.api.train;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

import ai.djl.ndarray.NDList;

/**
 * A loss with its own metrics. Registered with {@code synthloom.kind=objective}.
 *
 * <p>It reads model outputs and batch fields by name ({@link org.synthloom.api.model.Fields}), so
 * any recipe producing the outputs it requires can be trained with it.
 */
@ConsumerType
public interface Objective {

    /** The {@code synthloom.kind} of objectives. */
    String KIND = "objective";

    /** @return the model outputs and batch fields it reads */
    Set<String> requires();

    /**
     * Computes the loss of one batch.
     *
     * @param outputs the model's named outputs
     * @param batch the batch's named fields
     * @return the scalar loss and metrics
     * @throws IllegalArgumentException if a required output or field is missing; the message
     *     names it
     */
    LossOutput compute(NDList outputs, NDList batch);
}
