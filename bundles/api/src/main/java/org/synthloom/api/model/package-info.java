/**
 * Models as compositions of plugin encoders.
 *
 * <p>Encoders ({@link org.synthloom.api.model.ImageEncoder}, {@link org.synthloom.api.model.TextEncoder})
 * are factories of DJL {@link ai.djl.nn.Block}s. A {@link org.synthloom.api.model.ModelRecipe}
 * assembles them into the trainable model of a method (CLIP: image encoder + text encoder;
 * Synth2: VQ tokens, Perceiver Resampler and a caption decoder) whose forward pass maps the named
 * batch fields of {@link org.synthloom.api.model.Fields} to named outputs. Objectives read those
 * outputs by name, so one training loop serves every method, the way OpenCLIP pairs a model's
 * output dictionary with its losses.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.synthloom.api.model;
