package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "CNN text encoder",
        description = "Token embedding, two Conv1d k=3 + ReLU, masked max-pooling over time, linear.")
@interface CnnTextConfig {

    @AttributeDefinition(name = "Embedding width", description = "Width of the token embeddings.")
    int embedding_dim() default 64;

    @AttributeDefinition(name = "Convolution width", description = "Channels of both Conv1d layers.")
    int conv_width() default 128;

    @AttributeDefinition(name = "Output width", description = "Width of the features the encoder produces.")
    int width() default 128;
}
