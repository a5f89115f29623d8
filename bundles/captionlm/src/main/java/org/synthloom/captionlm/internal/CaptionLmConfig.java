package org.synthloom.captionlm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Caption language model",
        description = "A small causal transformer over caption tokens, conditioned on the class by a learned class "
                + "token, trained in the pipeline on the human captions and sampled with temperature and top-p.")
@interface CaptionLmConfig {

    @AttributeDefinition(name = "Width", description = "Token and class embedding width; a multiple of heads.")
    int width() default 64;

    @AttributeDefinition(name = "Depth", description = "Transformer layers.")
    int depth() default 2;

    @AttributeDefinition(name = "Heads", description = "Attention heads per layer; must divide width.")
    int heads() default 4;

    @AttributeDefinition(name = "Context", description = "Longest sequence the model reads: the class token, the start "
            + "token and caption tokens. Longer training captions are cut; at least 3.")
    int context() default 64;

    @AttributeDefinition(name = "Training steps", description = "Optimisation steps of the fit.")
    int steps() default 600;

    @AttributeDefinition(name = "Batch size", description = "Human captions per training step.")
    int batch_size() default 32;

    @AttributeDefinition(name = "Learning rate", description = "Peak AdamW learning rate (linear warm-up, cosine decay).")
    double learning_rate() default 0.01;

    @AttributeDefinition(name = "Weight decay", description = "AdamW's decoupled weight decay on matrices.")
    double weight_decay() default 0.01;

    @AttributeDefinition(name = "Warm-up steps", description = "Steps of linear learning-rate warm-up; less than steps.")
    int warmup_steps() default 20;

    @AttributeDefinition(name = "Temperature", description = "Sampling temperature: logits are divided by it before "
            + "the softmax. 0 decodes greedily (always the most likely token); 1 samples the model's distribution; "
            + "higher is flatter.")
    double temperature() default 1.0;

    @AttributeDefinition(name = "Top-p", description = "Nucleus sampling: each token is drawn from the smallest set of "
            + "most likely tokens whose probability reaches top.p, in (0, 1]. 1 keeps every token; a tiny value keeps "
            + "only the most likely one (greedy).")
    double top_p() default 0.9;

    @AttributeDefinition(name = "Maximum length", description = "Most caption tokens sampled (start and end tokens not "
            + "counted); a caption still unfinished is cut there. At most context - 1.")
    int max_length() default 62;

    @AttributeDefinition(name = "De-duplication retries", description = "Times a caption that repeats an earlier one "
            + "of the same concept (or is empty) is sampled again before the repeat is accepted and counted. 0 accepts "
            + "repeats at once.")
    int dedup_retries() default 20;

    @AttributeDefinition(name = "Sampling batch", description = "Captions sampled together in one forward pass.")
    int sample_batch() default 64;
}
