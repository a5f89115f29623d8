package org.synthloom.recaption.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "CLIPS recaptioner",
        description = "An autoregressive caption generator conditioned on an image's VQ tokens and its web caption under "
                + "a combination mask, trained in the pipeline with the generative loss on pairs of human captions of "
                + "the same image, that rewrites each human caption.")
@interface RecaptionConfig {

    @AttributeDefinition(name = "Width", description = "Embedding width; a multiple of heads.")
    int width() default 64;

    @AttributeDefinition(name = "Depth", description = "Transformer layers.")
    int depth() default 2;

    @AttributeDefinition(name = "Heads", description = "Attention heads per layer; must divide width.")
    int heads() default 4;

    @AttributeDefinition(name = "Maximum length", description = "Most caption tokens (start and end not counted) of "
            + "the web caption the model reads and of the caption it writes; longer captions are cut.")
    int max_length() default 64;

    @AttributeDefinition(name = "Training steps", description = "Optimisation steps of the fit.")
    int steps() default 400;

    @AttributeDefinition(name = "Batch size", description = "Caption pairs per training step.")
    int batch_size() default 32;

    @AttributeDefinition(name = "Learning rate", description = "Peak AdamW learning rate (linear warm-up, cosine decay).")
    double learning_rate() default 0.003;

    @AttributeDefinition(name = "Weight decay", description = "AdamW's decoupled weight decay.")
    double weight_decay() default 0.01;

    @AttributeDefinition(name = "Warm-up steps", description = "Linear warm-up steps; less than steps.")
    int warmup_steps() default 20;

    @AttributeDefinition(name = "Temperature", description = "Decoding temperature, >= 0; 0 decodes greedily.")
    double temperature() default 0;

    @AttributeDefinition(name = "Seed", description = "Seeds the fit (initialisation and the order of the pairs), mixed "
            + "with the pipeline's fit seed.")
    long seed() default 0;

    @AttributeDefinition(name = "Decode batch", description = "Samples rewritten together in one forward pass.")
    int decode_batch() default 64;
}
