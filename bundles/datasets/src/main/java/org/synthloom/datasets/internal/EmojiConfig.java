package org.synthloom.datasets.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Emoji dataset",
        description = "The Google emoji images (64x64) of the emoji-datasource-google package fetched by"
                + " './synthloom data', captioned with their names; label = category.")
@interface EmojiConfig {

    @AttributeDefinition(name = "Path", description = "The package folder (holding emoji.json and img/google/64),"
            + " absolute or relative to the data directory.")
    String path() default EmojiDataset.DEFAULT_PATH;

    @AttributeDefinition(name = "Test fraction", description = "Fraction of the emoji put in the test split, 0 to 1;"
            + " the choice is a stable hash of the emoji's code points and the seed.")
    double test_fraction() default 0.1;

    @AttributeDefinition(name = "Seed", description = "Seeds the train/test assignment.")
    long seed() default 0;
}
