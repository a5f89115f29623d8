package org.synthloom.maskgit.internal;

import com.google.gson.JsonObject;

/**
 * The data shapes a model is built for, fixed by the pipeline's tokenizers: the text vocabulary and
 * context, the VQ codebook and the token grid.
 *
 * @param vocabulary text token ids, special tokens included
 * @param context caption tokens per sample, start and end included
 * @param codebookSize VQ codes {@code K}; the model's image vocabulary is {@code K + 1}, the last id being [MASK]
 * @param grid side of the square token grid; {@code grid * grid} image tokens
 */
record Dims(int vocabulary, int context, int codebookSize, int grid) {

    /** @return the number of image tokens {@code N} */
    int tokens() {
        return grid * grid;
    }

    /** @return the id of the [MASK] image token, {@code K} */
    int maskId() {
        return codebookSize;
    }

    /** @return these dimensions as JSON, for the saved state */
    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("text.vocabulary", vocabulary);
        o.addProperty("context.length", context);
        o.addProperty("codebook.size", codebookSize);
        o.addProperty("grid", grid);
        return o;
    }
}
