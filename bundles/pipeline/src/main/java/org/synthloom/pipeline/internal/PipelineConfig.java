package org.synthloom.pipeline.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * A pipeline: which components serve its stages (LDAP filters over {@code synthloom.kind} and
 * {@code synthloom.name}) and how much of what they do. One factory configuration per pipeline;
 * the JSON files in runtime-config are the examples.
 */
@ObjectClassDefinition(name = "Synthloom pipeline",
        description = "Human data plus synthetic captions and images, into shards, trained and evaluated.")
@interface PipelineConfig {

    @AttributeDefinition(name = "Name", description = "The pipeline's name; empty takes the configuration's name.")
    String name() default "";

    @AttributeDefinition(name = "Description")
    String description() default "";

    // --- human data ---

    @AttributeDefinition(name = "Dataset", description = "Filter selecting the human-annotated dataset.")
    String dataset_target() default "(synthloom.name=shapes-world)";

    @AttributeDefinition(name = "Training split")
    String train_split() default "train";

    @AttributeDefinition(name = "Evaluation split")
    String eval_split() default "test";

    @AttributeDefinition(name = "Human samples", min = "-1", description = "How many training samples of the human split to use; "
            + "-1 for all. Synth2's question is what synthetic data adds when this budget is small.")
    int human_limit() default -1;

    // --- synthetic data ---

    @AttributeDefinition(name = "Concepts", description = "Concepts to generate captions for; empty takes the dataset's "
            + "class names.")
    String[] concepts() default {};

    @AttributeDefinition(name = "Caption generator", description = "Filter selecting the caption generator.")
    String captioner_target() default "(synthloom.name=template)";

    @AttributeDefinition(name = "Captions per concept", min = "0",
            description = "0 disables synthetic data (human-only baseline).")
    int captions_per_concept() default 0;

    @AttributeDefinition(name = "Image generator", description = "Filter selecting the image generator.")
    String generator_target() default "(synthloom.name=shapes-renderer)";

    @AttributeDefinition(name = "Images per caption", min = "1", description = "SynCLR generates several images per caption.")
    int images_per_caption() default 1;

    @AttributeDefinition(name = "Generation batch", min = "1", description = "Captions per image generator call.")
    int generation_batch() default 16;

    @AttributeDefinition(name = "Synthetic ratio", min = "0", max = "1",
            description = "Fraction of training samples drawn from synthetic data.")
    double synthetic_ratio() default 0.5;

    // --- shards ---

    @AttributeDefinition(name = "Shard size", min = "1",
            description = "Samples per WebDataset shard (rounded to whole generation batches).")
    int shard_size() default 256;

    @AttributeDefinition(name = "Image size", min = "1", description = "Side of the square images in pixels.")
    int image_size() default 64;

    @AttributeDefinition(name = "Resize mode", options = {@Option(label = "center crop", value = "center_crop"),
        @Option(label = "keep ratio", value = "keep_ratio"), @Option(label = "border", value = "border"),
        @Option(label = "no", value = "no")}, description = "How images are brought to the image size (img2dataset's modes).")
    String resize_mode() default "center_crop";

    @AttributeDefinition(name = "Image tokenizer", description = "Filter selecting the image tokenizer (a VQ-GAN) that "
            + "turns images into VQ tokens, e.g. (synthloom.name=vqgan); empty: none. A tokenizer that learns is fitted on "
            + "the human images first; human, evaluation and pixel-space synthetic images are then tokenized with it.")
    String image_tokenizer_target() default "";

    @AttributeDefinition(name = "Recaptioner", description = "Filter selecting the recaptioner that rewrites the human "
            + "training captions (CLIPS), e.g. (synthloom.name=clips); empty: none. It is fitted on the human data (after "
            + "the image tokenizer), then each human training sample gets its rewritten caption added, and training reads "
            + "those samples.")
    String recaptioner_target() default "";

    // --- model and training ---

    @AttributeDefinition(name = "Model recipe", description = "Filter selecting the model recipe.")
    String recipe_target() default "(synthloom.name=clip)";

    @AttributeDefinition(name = "Objectives", description = "Filter selecting the objectives; all matching are used.")
    String objective_target() default "(synthloom.name=clip)";

    @AttributeDefinition(name = "Objective weights", description = "name=weight pairs; unlisted objectives weigh 1.")
    String[] objective_weights() default {};

    @AttributeDefinition(name = "Tokenizer", description = "Filter selecting the tokenizer.")
    String tokenizer_target() default "(synthloom.name=bytes)";

    @AttributeDefinition(name = "Context length", min = "3", description = "Caption tokens per sample, start and end included.")
    int context_length() default 64;

    @AttributeDefinition(name = "Device", description = "auto, cpu, gpu or gpu:N.")
    String device() default "auto";

    @AttributeDefinition(name = "Batch size", min = "1")
    int batch_size() default 64;

    @AttributeDefinition(name = "Training steps", min = "1")
    int train_steps() default 300;

    @AttributeDefinition(name = "Epochs", min = "0", description = "Passes over the human training data; when positive it "
            + "sets the number of steps (human samples / (batch size x (1 - synthetic ratio)), times epochs) instead "
            + "of train.steps.")
    double epochs() default 0;

    @AttributeDefinition(name = "Optimizer", options = {@Option(label = "AdamW", value = "adamw"),
        @Option(label = "Adam", value = "adam"), @Option(label = "SGD with momentum", value = "sgd")},
            description = "AdamW decays weights decoupled from the gradient; Adam applies no decay; SGD uses momentum 0.9.")
    String optimizer() default "adamw";

    @AttributeDefinition(name = "Learning rate", min = "0", description = "Peak learning rate.")
    double learning_rate() default 1e-3;

    @AttributeDefinition(name = "Weight decay", min = "0", description = "Decoupled weight decay, on matrices and kernels only.")
    double weight_decay() default 0.1;

    @AttributeDefinition(name = "Schedule", options = {@Option(label = "cosine", value = "cosine"),
        @Option(label = "constant", value = "constant")}, description = "Learning-rate schedule after warm-up.")
    String schedule() default "cosine";

    @AttributeDefinition(name = "Warm-up steps", min = "0")
    int warmup_steps() default 20;

    @AttributeDefinition(name = "Checkpoint every", min = "1",
            description = "Steps between checkpoints (one is always written at the end).")
    int checkpoint_every() default 100;

    @AttributeDefinition(name = "Report every", min = "1", description = "Steps between metric reports.")
    int log_every() default 10;

    @AttributeDefinition(name = "Shuffle buffer", min = "1", description = "Samples in the training shuffle buffer.")
    int shuffle_buffer() default 1000;

    @AttributeDefinition(name = "Batch grouping", options = {@Option(label = "none", value = "none"),
        @Option(label = "by caption", value = "caption")}, description = "none: batches of batch.size samples of the "
            + "mixed, shuffled stream. caption: every batch holds whole caption groups, all images generated from one "
            + "synthetic caption together and never split across batches (SynCLR's multi-positive batches); human samples "
            + "are groups of one; groups are packed into batch.size samples (a batch may be a few short).")
    String batch_grouping() default "none";

    @AttributeDefinition(name = "Caption view", options = {@Option(label = "full caption", value = "full"),
        @Option(label = "sentence sub-caption", value = "sub"), @Option(label = "random token mask", value = "random-mask"),
        @Option(label = "token block", value = "block-mask")}, description = "Which text view of its caption a training "
            + "image is paired with (CLIPS): full; sub, a random run of whole sentences within caption.view.tokens (the "
            + "first sentence truncated when none fits); random-mask, a random subset of that many tokens in order; "
            + "block-mask, a random contiguous block of that many tokens. Evaluation always reads full captions.")
    String caption_view() default "full";

    @AttributeDefinition(name = "Caption view tokens", min = "1", description = "Token budget of a partial caption view "
            + "(start and end not counted). When every view is partial the text tensors shrink to budget + 2.")
    int caption_view_tokens() default 32;

    @AttributeDefinition(name = "Caption views", min = "1", description = "Views per training image; each is a row of the "
            + "batch with the image repeated, all in the image's caption group (positives for the multi-positive objective).")
    int caption_views() default 1;

    @AttributeDefinition(name = "Caption view includes full", description = "Adds the full caption as one more view of "
            + "each image, so full and partial captions are positives of each other (CLIPS's multi-positive).")
    boolean caption_view_include_full() default false;

    @AttributeDefinition(name = "Loader threads", min = "1",
            description = "Threads decoding and batching data off the training thread.")
    int loader_threads() default 2;

    // --- evaluation ---

    @AttributeDefinition(name = "Evaluators", description = "Filter selecting the evaluators; all matching run.")
    String evaluator_target() default "(synthloom.kind=evaluator)";

    // --- reproducibility and robustness ---

    @AttributeDefinition(name = "Seed", description = "Seeds data order, generation and initialisation.")
    long seed() default 42;

    @AttributeDefinition(name = "On component error", options = {@Option(label = "fail the run", value = "fail"),
        @Option(label = "pause the run", value = "pause")},
            description = "What a run does when a plugin throws: fail (completed work is kept and a new start resumes) "
                    + "or pause until resumed (e.g. after a fixed plugin is deployed).")
    String on_component_error() default "fail";
}
