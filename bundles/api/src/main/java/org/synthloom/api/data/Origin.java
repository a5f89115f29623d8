package org.synthloom.api.data;

/** Where a sample's image or caption came from. */
public enum Origin {
    /** Written or photographed by people: the human-annotated part of a dataset. */
    HUMAN,
    /** Made by a generator plugin (an LLM, a text-to-image model, a recaptioner). */
    SYNTHETIC
}
