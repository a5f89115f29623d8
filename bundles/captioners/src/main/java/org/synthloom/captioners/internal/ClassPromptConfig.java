package org.synthloom.captioners.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Class-prompt caption generator",
        description = "Synth2's class-based prompting without a language model: a weighted grammar of templates with "
                + "slots, sampled at a temperature, de-duplicated within each concept.")
@interface ClassPromptConfig {

    @AttributeDefinition(name = "Templates", description = "Caption templates, each optionally followed by *weight. "
            + "{concept} is the concept, {article} is a/an agreeing with the next word, {name} is the concept's attribute "
            + "or a draw from the vocabulary name, {concept.name} only the concept's attribute (the template then serves "
            + "only concepts that have it). Unweighted lists are ranked: the k-th entry weighs 1/k.")
    String[] templates() default {
        "a photo of {article} {concept} *6",
        "{article} {concept} on {background} *5",
        "{article} {size} {concept} {relation} {article} {object} *4",
        "{article} {size} {concept} {relation} {article} {object} on {background} *3",
        "{style} of {article} {concept} {place} *3",
        "{article} {concept} {place} {time} *2",
        "there is {article} {concept} {relation} {article} {object} {place} *2",
        "{article} {concept}, a kind of {concept.category} *2",
        "{style} of {article} {size} {concept} on {background} {time} *1"};

    @AttributeDefinition(name = "Slot vocabularies", description = "name = entry | entry | ... for each slot the "
            + "templates use; entries optionally weighted with *weight, else ranked by order.")
    String[] slots() default {
        "size = small | large | tiny | big | little | huge",
        "relation = next to | beside | in front of | behind | near | on top of | under | to the left of | to the right of",
        "object = table | chair | tree | car | book | lamp | rock | box | bench | window | umbrella | apple",
        "background = a white background | a wooden table | the grass | a city street | a sandy beach"
            + " | a kitchen counter | a snowy field | a plain wall",
        "place = in a park | in a kitchen | in a forest | on a street | in a living room | at the beach | in a garden"
            + " | in an office",
        "time = in the morning | at night | at sunset | on a rainy day | in the afternoon",
        "style = a photo | a close-up photo | a photograph | a drawing | a painting | a black and white photo"
            + " | an illustration | a blurry photo"};

    @AttributeDefinition(name = "Grammar file", description = "A grammar file ([templates] and [slot NAME] sections, one "
            + "entry a line) whose lists replace the configured lists of the same name; absolute or relative to the "
            + "Synthloom home. Empty: the configured lists only.")
    String grammar_file() default "";

    @AttributeDefinition(name = "Temperature", description = "Sampling temperature over templates and slot values: "
            + "probability proportional to weight^(1/temperature). 0 always takes the most likely entry; 1 samples by the "
            + "weights; higher is flatter.")
    double temperature() default 1.0;

    @AttributeDefinition(name = "De-duplicate", description = "Redraw a caption that repeats an earlier one of the same "
            + "concept (Synth2 found diversity matters).")
    boolean deduplicate() default true;

    @AttributeDefinition(name = "De-duplication attempts", description = "Redraws per caption before a repeat is "
            + "allowed (and reported in the log).")
    int dedup_attempts() default 50;
}
