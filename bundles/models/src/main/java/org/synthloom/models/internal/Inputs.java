package org.synthloom.models.internal;

import java.util.List;

import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ImageEncoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** How the model recipes find their batch fields. */
final class Inputs {

    private Inputs() {}

    /**
     * The batch field an image encoder reads: {@code images} for pixels, {@code image_tokens} for VQ tokens.
     *
     * @param recipe the recipe's name, for the message
     * @throws IllegalArgumentException for an encoder of precomputed embeddings, which have no batch field
     */
    static String imageField(ImageEncoder encoder, String recipe) {
        return switch (encoder.inputSpace()) {
            case PIXELS -> Fields.IMAGES;
            case TOKENS -> Fields.IMAGE_TOKENS;
            case EMBEDDINGS -> throw new IllegalArgumentException(
                    recipe + " cannot read images as " + ImageSpace.EMBEDDINGS + ": there is no batch field for them");
        };
    }

    /** The input named {@code names[index]}, else the array at that position in a full list, else null. */
    static NDArray field(NDList inputs, List<String> names, int index) {
        NDArray named = inputs.get(names.get(index));
        if (named != null) {
            return named;
        }
        return inputs.size() == names.size() ? inputs.get(index) : null;
    }

    /** {@code [name shape, ...]} of a list, for messages. */
    static String describe(NDList inputs) {
        StringBuilder s = new StringBuilder("[");
        for (NDArray array : inputs) {
            s.append(s.length() > 1 ? ", " : "").append(array.getName()).append(' ').append(array.getShape());
        }
        return s.append(']').toString();
    }
}
