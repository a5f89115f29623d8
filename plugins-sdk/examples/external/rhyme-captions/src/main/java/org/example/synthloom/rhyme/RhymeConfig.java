package org.example.synthloom.rhyme;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link RhymeCaptions}, PID {@code org.example.synthloom.rhyme}. */
@ObjectClassDefinition(name = "Rhyming captions", description = "Captions a concept with a rhyming couplet.")
public @interface RhymeConfig {

    /** @return the line endings, all rhyming */
    @AttributeDefinition(name = "Endings", description = "Phrases that end a line; any two of them rhyme. At least two.")
    String[] endings() default {"in the light", "out of sight", "late at night", "shining bright", "to the right",
        "flying a kite", "with all its might", "black and white"};

    /** @return the openings of the second line */
    @AttributeDefinition(name = "Openings", description = "Phrases that open the second line. At least one.")
    String[] openings() default {"and then", "and still", "it stays", "it sits", "it waits"};
}
