package org.synthloom.tokenizers.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Byte-level BPE tokenizer",
        description = "GPT-2's byte-level BPE. Fitted by a pipeline on its human captions (merges learnt up to the "
                + "vocabulary size, saved as vocab.json and merges.txt), or loaded from given files.")
@interface BpeConfig {

    @AttributeDefinition(name = "Vocabulary size", description = "Most ids, the 3 special tokens and the 256 bytes "
            + "included (at least 259); training stops earlier when no pair is frequent enough.")
    int vocabulary_size() default 4096;

    @AttributeDefinition(name = "Minimum frequency", description = "The least number of occurrences in the corpus a pair "
            + "needs to become a merge.")
    int min_frequency() default 2;

    @AttributeDefinition(name = "Vocabulary file", description = "A vocab.json (GPT-2 / Hugging Face) to load instead of "
            + "training; absolute or relative to the Synthloom home. Set with merges.file, or leave both empty.")
    String vocabulary_file() default "";

    @AttributeDefinition(name = "Merges file", description = "The merges.txt that goes with vocabulary.file.")
    String merges_file() default "";

    @AttributeDefinition(name = "Padding token", description = "The padding token (id 0 when trained).")
    String pad_token() default "<|pad|>";

    @AttributeDefinition(name = "Start token", description = "The start-of-text token (id 1 when trained).")
    String start_token() default "<|startoftext|>";

    @AttributeDefinition(name = "End token", description = "The end-of-text token (id 2 when trained).")
    String end_token() default "<|endoftext|>";
}
