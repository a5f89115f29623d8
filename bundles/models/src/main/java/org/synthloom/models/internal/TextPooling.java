package org.synthloom.models.internal;

/** How a text transformer turns its token sequence into one feature vector; configured in lower case. */
enum TextPooling {
    /** The last real token per the mask (the end token, as CLIP's EOT pooling). */
    LAST,
    /** The mean of the real tokens. */
    MEAN,
    /** The first token (the start token). */
    FIRST
}
