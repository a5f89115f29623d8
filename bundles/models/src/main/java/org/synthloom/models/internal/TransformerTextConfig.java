package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/* The defaults are the text tower of the clip-tiny benchmark contract. */
@ObjectClassDefinition(name = "Transformer text encoder",
        description = "Token embedding and learned positions, pre-LayerNorm transformer blocks (optionally causal), final LayerNorm, pooling.")
@interface TransformerTextConfig {

    @AttributeDefinition(name = "Width", description = "Token width, which is also the output width.")
    int width() default 192;

    @AttributeDefinition(name = "Depth", description = "Number of transformer blocks.")
    int depth() default 4;

    @AttributeDefinition(name = "Heads", description = "Attention heads per block; must divide the width.")
    int heads() default 3;

    @AttributeDefinition(name = "MLP ratio", description = "Hidden width of each block's MLP as a multiple of the width.")
    float mlp_ratio() default 4f;

    @AttributeDefinition(name = "Causal", description = "Each position attends only to itself and earlier positions, as CLIP's text tower.")
    boolean causal() default true;

    @AttributeDefinition(name = "Pooling",
            description = "last: the last real token per the mask (CLIP's end-of-text pooling); mean: the mean of the real tokens; first: the first token.",
            options = {@Option(label = "last real token", value = "last"), @Option(label = "mean of real tokens", value = "mean"),
                @Option(label = "first token", value = "first")})
    String pool() default "last";
}
