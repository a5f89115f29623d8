/**
 * What a model is trained for and how it is judged.
 *
 * <p>An {@link org.synthloom.api.train.Objective} turns a model's named outputs and the batch into
 * a scalar loss plus its own metrics (CLIP's InfoNCE, SigLIP's sigmoid loss, SynCLR's
 * multi-positive contrastive loss, the generative captioning loss, masked image modelling). A
 * train stage is one {@link org.synthloom.api.model.ModelRecipe} plus weighted objectives. An
 * {@link org.synthloom.api.train.Evaluator} measures a trained model (retrieval R@K, zero-shot
 * accuracy, linear probe, BLEU/CIDEr). {@link org.synthloom.api.train.Scalars} makes the constants a
 * loss combines with in memory libtorch owns (1.1.0).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.synthloom.api.train;
