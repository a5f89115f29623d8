package org.synthloom.captioners.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Template caption generator",
        description = "Class-based prompting without a language model: captions from templates with slots, filled from "
                + "the concept and from attribute vocabularies.")
@interface TemplateConfig {

    @AttributeDefinition(name = "Templates", description = "Caption templates. {concept} is the concept; {name} any "
            + "attribute slot, filled from the concept's attributes or from the slot's vocabulary.")
    String[] templates() default {"a {concept}", "a picture of a {concept}", "a photo of a {concept}",
        "an image of a {concept}", "a drawing of a {concept}", "there is a {concept}", "one {concept}",
        "a {size} {concept}", "a {concept} on a {background} background", "a {size} {concept} on a {background} background",
        "a picture of a {size} {concept}", "a {concept} in the {position}"};

    @AttributeDefinition(name = "Slot vocabularies", description = "name=value|value|... for each slot the templates use.")
    String[] slots() default {"size=small|large|big|little", "background=plain|striped|dotted|checkered|gradient",
        "position=top left|top right|bottom left|bottom right|centre"};

    @AttributeDefinition(name = "De-duplicate", description = "Avoid repeating a caption for a concept until every "
            + "combination is used (Synth2 found diversity matters).")
    boolean deduplicate() default true;
}
