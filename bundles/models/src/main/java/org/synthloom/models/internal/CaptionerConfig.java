package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/*
 * The image encoder is chosen by the standard DS property image.target; its default,
 * (synthloom.name=token-embed), is in the reference of CaptionerRecipe.
 */
@ObjectClassDefinition(name = "Captioner model recipe (Synth2 VLM)",
        description = "An image encoder, a Perceiver Resampler and a causal transformer decoder that cross-attends to its latents; outputs next-token caption logits.")
@interface CaptionerConfig {

    @AttributeDefinition(name = "Latents", description = "Number of learned latent queries of the Perceiver Resampler.")
    int perceiver_latents() default 16;

    @AttributeDefinition(name = "Resampler depth", description = "Number of Perceiver Resampler layers.")
    int perceiver_depth() default 2;

    @AttributeDefinition(name = "Resampler heads", description = "Attention heads of the resampler; must divide decoder.width.")
    int perceiver_heads() default 3;

    @AttributeDefinition(name = "Resampler self-attention",
            description = "Latents attend to each other as well as to the image features (Flamingo's keys = [features; latents]).")
    boolean perceiver_self_attention() default true;

    @AttributeDefinition(name = "Decoder width",
            description = "Width of the caption decoder and of the resampler's latents; image features of another width are projected.")
    int decoder_width() default 192;

    @AttributeDefinition(name = "Decoder depth", description = "Number of decoder layers (causal self-attention, cross-attention, MLP).")
    int decoder_depth() default 4;

    @AttributeDefinition(name = "Decoder heads", description = "Attention heads of the decoder; must divide decoder.width.")
    int decoder_heads() default 3;

    @AttributeDefinition(name = "MLP ratio", description = "Hidden width of every MLP (resampler and decoder) as a multiple of decoder.width.")
    float mlp_ratio() default 4f;

    @AttributeDefinition(name = "Tied output embedding",
            description = "The output layer reuses the token embedding (transposed, no bias); false gives it its own weights and bias.")
    boolean tied_embedding() default true;
}
