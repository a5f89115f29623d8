package org.synthloom.shapes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Shapes world dataset",
        description = "The built-in procedural image-text dataset: coloured shapes on textured backgrounds with"
                + " human-like captions. The train split leaves some concepts out or makes them rare;"
                + " val and test cover all 48 concepts evenly.")
@interface ShapesWorldConfig {

    @AttributeDefinition(name = "Seed", description = "Sample i of split s is a pure function of (seed, s, i).")
    long seed() default 7;

    @AttributeDefinition(name = "Image size", description = "Side of the square RGB images in pixels, 8 to 1024.")
    int image_size() default 64;

    @AttributeDefinition(name = "Train size", description = "Samples in the train split.")
    int train_size() default 2000;

    @AttributeDefinition(name = "Validation size", description = "Samples in the val split.")
    int val_size() default 200;

    @AttributeDefinition(name = "Test size", description = "Samples in the test split.")
    int test_size() default 500;

    @AttributeDefinition(name = "Held-out concepts",
            description = "'<colour> <shape>' concepts that never appear in the train split (neither as the main"
                    + " object nor as another object).")
    String[] holdout() default {"red triangle", "blue star", "green hexagon", "yellow diamond"};

    @AttributeDefinition(name = "Rare concepts",
            description = "'<colour> <shape>' concepts that appear in the train split with the rare rate's weight.")
    String[] rare() default {"purple circle", "orange square"};

    @AttributeDefinition(name = "Rare rate",
            description = "Frequency of a rare concept in the train split relative to an ordinary one, 0 to 1.")
    double rare_rate() default 0.1;
}
