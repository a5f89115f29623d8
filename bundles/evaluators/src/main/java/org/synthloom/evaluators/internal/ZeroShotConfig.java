package org.synthloom.evaluators.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Zero-shot evaluator",
        description = "Classifies images by their nearest class prompt embedding; accuracy against each sample's first label.")
@interface ZeroShotConfig {

    @AttributeDefinition(name = "Split", description = "The split of the evaluation data to read.")
    String split() default "test";

    @AttributeDefinition(name = "Templates",
            description = "Prompt templates; {} is replaced by the class name. A class embeds as the mean of its prompts.")
    String[] templates() default {"a {}", "a picture of a {}"};

    @AttributeDefinition(name = "Batch size", description = "Samples or prompts per forward pass.")
    int batch_size() default 64;

    @AttributeDefinition(name = "Limit", description = "At most this many labelled samples are classified.")
    int limit() default 1000;
}
