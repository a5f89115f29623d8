package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/* The defaults are the image tower of the clip-tiny benchmark contract. */
@ObjectClassDefinition(name = "ViT image encoder",
        description = "Vision Transformer: patch embedding, class token, learned positions, pre-LayerNorm blocks with GELU MLPs, final LayerNorm.")
@interface VitConfig {

    @AttributeDefinition(name = "Patch size", description = "Side of the square patches in pixels; the image size must be a multiple of it.")
    int patch() default 8;

    @AttributeDefinition(name = "Width", description = "Token width, which is also the output width.")
    int width() default 192;

    @AttributeDefinition(name = "Depth", description = "Number of transformer blocks.")
    int depth() default 4;

    @AttributeDefinition(name = "Heads", description = "Attention heads per block; must divide the width.")
    int heads() default 3;

    @AttributeDefinition(name = "MLP ratio", description = "Hidden width of each block's MLP as a multiple of the width.")
    float mlp_ratio() default 4f;

    @AttributeDefinition(name = "Pooling",
            description = "cls: the class token; mean: the mean of the patch tokens; none: the whole sequence (B, N(+1), width) for consumers that cross-attend.",
            options = {@Option(label = "class token", value = "cls"), @Option(label = "mean of patch tokens", value = "mean"),
                @Option(label = "none (sequence)", value = "none")})
    String pool() default "cls";

    @AttributeDefinition(name = "Class token",
            description = "Prepend a learned class token; required by pool = cls, optional with mean (not averaged) and none (first in the sequence).")
    boolean class_token() default true;
}
