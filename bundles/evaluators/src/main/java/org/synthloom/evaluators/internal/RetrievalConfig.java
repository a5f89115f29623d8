package org.synthloom.evaluators.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Retrieval evaluator",
        description = "Image-to-text and text-to-image Recall@1/5/10 of each image with its first caption.")
@interface RetrievalConfig {

    @AttributeDefinition(name = "Split", description = "The split of the evaluation data to read.")
    String split() default "test";

    @AttributeDefinition(name = "Batch size", description = "Samples per forward pass.")
    int batch_size() default 64;

    @AttributeDefinition(name = "Limit", description = "At most this many samples (with a caption) are used.")
    int limit() default 1000;
}
