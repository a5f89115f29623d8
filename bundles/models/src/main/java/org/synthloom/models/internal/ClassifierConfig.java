package org.synthloom.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/*
 * The image encoder is chosen by the standard DS property image.target; its default,
 * (synthloom.name=cnn), is in the reference of ClassifierRecipe.
 */
@ObjectClassDefinition(name = "Classifier model recipe",
        description = "An image encoder, a projection to unit image embeddings and a linear head over the dataset's classes: "
                + "the supervised baseline (train it with the supervised objective).")
@interface ClassifierConfig {

    @AttributeDefinition(name = "Embedding width", description = "Width of the image embeddings the head reads (and "
            + "evaluators such as the linear probe see).")
    int embed_dim() default 128;
}
