package org.synthloom.tokenizers.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Hugging Face tokenizer",
        description = "A Hugging Face tokenizer.json from local disk, run by DJL's tokenizers (the Rust library).")
@interface HfConfig {

    @AttributeDefinition(name = "File", description = "The tokenizer.json (or a folder holding one); absolute or relative "
            + "to the Synthloom home. Empty: not configured (encoding fails saying so).")
    String file() default "";

    @AttributeDefinition(name = "Padding token", description = "The padding token; empty: the first of <pad>, [PAD], "
            + "<|pad|>, <|endoftext|>, </s> that the tokenizer has.")
    String pad_token() default "";

    @AttributeDefinition(name = "Start token", description = "The start token; empty: the first of <s>, [CLS], "
            + "<|startoftext|>, <bos>, <|begin_of_text|>, <|endoftext|> that the tokenizer has.")
    String start_token() default "";

    @AttributeDefinition(name = "End token", description = "The end token; empty: the first of </s>, [SEP], "
            + "<|endoftext|>, <eos>, <|end_of_text|> that the tokenizer has.")
    String end_token() default "";
}
