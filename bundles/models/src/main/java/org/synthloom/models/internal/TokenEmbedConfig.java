package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "VQ token embedding",
        description = "Embeds a grid of VQ codebook ids with learned row and column positions; the image encoder of token-space models (Synth2).")
@interface TokenEmbedConfig {

    @AttributeDefinition(name = "Width", description = "Embedding width, which is also the output width.")
    int width() default 192;

    @AttributeDefinition(name = "Pooling",
            description = "none: the sequence (B, grid*grid, width) for consumers that cross-attend; mean: its mean (B, width).",
            options = {@Option(label = "none (sequence)", value = "none"), @Option(label = "mean", value = "mean")})
    String pool() default "none";
}
