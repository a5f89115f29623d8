/**
 * Transformer building blocks on DJL, shared by the bundles that build transformers of their own
 * (the MaskGIT image generator, the caption language model): pre-LayerNorm layers with self- and
 * cross-attention, additive attention masks, token embeddings with learned positions, GELU MLPs,
 * LayerNorm, and the parameter and tensor helpers they use.
 *
 * <p>Blocks follow DJL's {@code AbstractBlock} contract (parameters registered, saved and loaded
 * by DJL); their {@code apply} methods take the masks explicitly, so that a model computes each
 * mask once per forward pass and shares it between layers. 1.2.0 adds
 * {@link org.synthloom.models.nn.AttentionMasks#prefixCausal}, the prefix-LM (combination) mask.
 */
@Export
@Version("1.2.0")
package org.synthloom.models.nn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
