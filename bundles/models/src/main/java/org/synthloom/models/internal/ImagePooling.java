package org.synthloom.models.internal;

/** How an image encoder turns its token sequence into its output; configured in lower case. */
enum ImagePooling {
    /** The class token, {@code (B, W)}. */
    CLS,
    /** The mean of the (patch or grid) tokens, {@code (B, W)}. */
    MEAN,
    /** Every token, {@code (B, N, W)}, for consumers that cross-attend. */
    NONE
}
