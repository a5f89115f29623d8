package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "CNN image encoder",
        description = "Conv 3x3 + BatchNorm + ReLU stages (stride 2 after the first), global average pooling, linear.")
@interface CnnImageConfig {

    @AttributeDefinition(name = "Stage widths",
            description = "Channels of each stage; one stage per entry. Every stage after the first halves the resolution.")
    int[] widths() default {32, 64, 128, 128};

    @AttributeDefinition(name = "Output width", description = "Width of the features the encoder produces.")
    int width() default 128;
}
