package org.synthloom.vqgan.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "VQ-GAN image tokenizer",
        description = "A convolutional autoencoder with a vector-quantised bottleneck (Synth2's image tokenizer), fitted on"
                + " the pipeline's human images: warm-up as a plain autoencoder, k-means initialisation of the codebook,"
                + " then VQ training.")
@interface VqGanConfig {

    @AttributeDefinition(name = "Channels",
            description = "Channels of the deepest (token-grid) level; each finer level has half as many, at least 16.")
    int channels() default 32;

    @AttributeDefinition(name = "Downsampling factor",
            description = "Image side / token-grid side; a power of two, at least 2, that divides the image size.")
    int downsample() default 4;

    @AttributeDefinition(name = "Codebook size", description = "Number of codes K; token ids are in [0, K).")
    int codebook_size() default 256;

    @AttributeDefinition(name = "Embedding dimension", description = "Width D of each code vector.")
    int embedding_dim() default 32;

    @AttributeDefinition(name = "Commitment weight",
            description = "beta of the VQ loss ||sg(z) - e||^2 + beta ||z - sg(e)||^2.")
    double beta() default 0.25;

    @AttributeDefinition(name = "Autoencoder steps",
            description = "Optimisation steps of phase 1, the warm-up as a plain autoencoder (no quantisation).")
    int autoencoder_steps() default 120;

    @AttributeDefinition(name = "VQ steps", description = "Optimisation steps of phase 2, training with the quantiser.")
    int steps() default 360;

    @AttributeDefinition(name = "Batch size", description = "Images per optimisation step, in both phases.")
    int batch_size() default 32;

    @AttributeDefinition(name = "Learning rate", description = "Peak AdamW learning rate (warm-up, then cosine decay).")
    double learning_rate() default 2e-3;

    @AttributeDefinition(name = "k-means samples",
            description = "Human images whose encoder outputs initialise the codebook by k-means.")
    int kmeans_samples() default 512;

    @AttributeDefinition(name = "k-means iterations", description = "Lloyd iterations after k-means++ seeding.")
    int kmeans_iterations() default 10;
}
