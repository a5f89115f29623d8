package org.synthloom.evaluators.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Captioning evaluator",
        description = "Generates a caption per image and scores it against the human captions with BLEU-1..4 and "
                + "CIDEr-D as pycocoevalcap computes them.")
@interface CaptioningConfig {

    @AttributeDefinition(name = "Split", description = "The split of the evaluation data to read.")
    String split() default "test";

    @AttributeDefinition(name = "Max samples", description = "At most this many samples with a human caption are captioned.")
    int max_samples() default 500;

    @AttributeDefinition(name = "Beam size",
            description = "Beams per sample; 1 decodes greedily. The caption is the best by log-probability per token.")
    int beam_size() default 1;

    @AttributeDefinition(name = "Max length",
            description = "At most this many generated tokens (end token excluded); 0 = up to the model's context length.")
    int max_length() default 0;

    @AttributeDefinition(name = "Batch size", description = "Samples decoded together (each with its beams) per forward pass.")
    int batch_size() default 16;

    @AttributeDefinition(name = "Group by",
            description = "A sample metadata key: samples that carry it are also scored per value, each group on its own"
                    + " (metric names end in '_' + the value, e.g. cider_d_held_out for the shapes world's train.coverage"
                    + " 'held-out': concepts the train split never shows). Empty scores the whole set only.")
    String group_by() default "train.coverage";
}
