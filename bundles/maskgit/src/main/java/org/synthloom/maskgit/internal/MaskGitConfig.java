package org.synthloom.maskgit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The configuration of the {@code maskgit} image generator (PID {@value MaskGit#PID}). */
@ObjectClassDefinition(name = "MaskGIT text-to-token image generator",
        description = "A MaskGIT/Muse-style bidirectional transformer, fitted on the pipeline's human token grids and"
                + " captions, that predicts masked VQ tokens conditioned on a caption and generates token grids by"
                + " iterative parallel decoding (Synth2's image generator).")
@interface MaskGitConfig {

    @AttributeDefinition(name = "Width", description = "Transformer width W (embedding size); a multiple of heads.")
    int width() default 64;

    @AttributeDefinition(name = "Depth", description = "Transformer layers.")
    int depth() default 2;

    @AttributeDefinition(name = "Heads", description = "Attention heads per layer; they divide the width.")
    int heads() default 4;

    @AttributeDefinition(name = "MLP ratio", description = "Hidden width of each layer's MLP / width.")
    int mlp_ratio() default 4;

    @AttributeDefinition(name = "Training steps", description = "Optimisation steps of the fit.")
    int steps() default 1200;

    @AttributeDefinition(name = "Batch size", description = "Human pairs per optimisation step.")
    int batch_size() default 32;

    @AttributeDefinition(name = "Learning rate", description = "Peak AdamW learning rate (warm-up, then cosine decay).")
    double learning_rate() default 2e-3;

    @AttributeDefinition(name = "Weight decay", description = "AdamW's decoupled weight decay on matrices.")
    double weight_decay() default 0.01;

    @AttributeDefinition(name = "Mask schedule",
            description = "gamma(r), the fraction of image tokens masked at progress r in [0, 1]: it draws the mask"
                    + " ratio gamma(u), u ~ U(0, 1), of each training sample and sets how many tokens stay masked"
                    + " after each decoding step.",
            options = {@Option(label = "cosine: cos(pi/2 r)", value = "cosine"),
                    @Option(label = "linear: 1 - r", value = "linear"),
                    @Option(label = "square: 1 - r^2", value = "square")})
    String mask_schedule() default "cosine";

    @AttributeDefinition(name = "Unconditional probability",
            description = "Probability that a training sample's caption is replaced by the empty caption, so that the"
                    + " model also learns the unconditional distribution classifier-free guidance needs; in [0, 1).")
    double p_uncond() default 0.1;

    @AttributeDefinition(name = "Decoding steps", description = "Steps T of iterative parallel decoding.")
    int decoding_steps() default 8;

    @AttributeDefinition(name = "Temperature",
            description = "Sampling temperature of the token predictions; 0 takes the most likely token.")
    double temperature() default 1.0;

    @AttributeDefinition(name = "Confidence noise",
            description = "Scale of the Gumbel noise added to the confidences that choose which predictions to keep,"
                    + " annealed linearly to 0 over the decoding steps (MaskGIT's choice temperature).")
    double confidence_noise() default 4.5;

    @AttributeDefinition(name = "Guidance",
            description = "Classifier-free guidance weight w: logits = (1 + w) cond - w uncond; 0 turns it off (and"
                    + " halves the cost of decoding).")
    double guidance() default 0;

    @AttributeDefinition(name = "Output space",
            description = "tokens: emit the VQ token grids (Synth2). pixels: also decode them to pixels with the"
                    + " pipeline's image tokenizer and re-encode those, the cost of a pixel-space generator.",
            options = {@Option(label = "tokens", value = "tokens"), @Option(label = "pixels", value = "pixels")})
    String output() default "tokens";
}
