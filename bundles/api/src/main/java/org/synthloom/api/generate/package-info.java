/**
 * Synthetic data generators: captions from concepts, images from captions.
 *
 * <p>A {@link org.synthloom.api.generate.CaptionGenerator} turns concepts into captions (class-based
 * LLM prompting as in Synth2, in-context word-to-caption as in SynCLR). An
 * {@link org.synthloom.api.generate.ImageGenerator} turns captions into images and declares the
 * {@link org.synthloom.api.data.ImageSpace} it emits, so that a pipeline can feed VQ tokens
 * straight into a token-space model as Synth2 does. A {@link org.synthloom.api.generate.Recaptioner}
 * (1.1.0) rewrites the captions of existing samples from their image and caption, as CLIPS does.
 *
 * <p>Generators must be deterministic for a given request seed: the same request gives the same
 * output, which is what makes interrupted generation stages resumable.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.synthloom.api.generate;
