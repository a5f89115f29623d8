package org.synthloom.objectives.internal;

import org.synthloom.api.model.Fields;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Reading and checking the named arrays an objective needs, with messages that name the objective
 * and the array; and the contrastive pieces several objectives share.
 */
final class Outputs {

    private Outputs() {}

    /**
     * @param objective the objective's name, for the message
     * @param outputs the model's named outputs
     * @param name the output to read
     * @return the array
     * @throws IllegalArgumentException if it is missing
     */
    static NDArray require(String objective, NDList outputs, String name) {
        NDArray array = outputs.get(name);
        if (array == null) {
            throw new IllegalArgumentException(objective + " needs the model output '" + name + "', which is missing (got "
                    + outputs.stream().map(NDArray::getName).toList() + ")");
        }
        return array;
    }

    /**
     * Reads a one-element array (a scalar or shape {@code (1)}) as a scalar.
     *
     * @throws IllegalArgumentException if it is missing or has more than one element
     */
    static NDArray scalar(String objective, NDList outputs, String name) {
        NDArray array = require(objective, outputs, name);
        if (array.size() != 1) {
            throw new IllegalArgumentException(objective + " needs a scalar " + name + ", got " + array.getShape());
        }
        return array.reshape(new Shape());
    }

    /**
     * The image and text embeddings of a contrastive objective, checked to share one shape
     * {@code (B, D)}.
     *
     * @return {@code [image_embeds, text_embeds]}
     */
    static NDArray[] embeddingPair(String objective, NDList outputs) {
        NDArray images = require(objective, outputs, Fields.IMAGE_EMBEDS);
        NDArray texts = require(objective, outputs, Fields.TEXT_EMBEDS);
        Shape imageShape = images.getShape();
        if (imageShape.dimension() != 2 || !imageShape.equals(texts.getShape())) {
            throw new IllegalArgumentException(objective + " needs " + Fields.IMAGE_EMBEDS + " and " + Fields.TEXT_EMBEDS
                    + " of the same shape (B, D), got " + imageShape + " and " + texts.getShape());
        }
        return new NDArray[] {images, texts};
    }

    /** {@code scale * I T^T}: row {@code i} scores image {@code i} against every text. */
    static NDArray logits(NDArray images, NDArray texts, NDArray scale) {
        return images.matMul(texts.transpose()).mul(scale);
    }

    /**
     * In-batch top-1 accuracy with the matching pair on the diagonal (a tie goes to the lowest
     * index, as {@code argMax} does), as a detached float32 scalar.
     *
     * @param logits {@code (B, B)} image-to-text scores
     * @param axis 1 for image to text (each row's best column), 0 for text to image
     */
    static NDArray diagonalAccuracy(NDArray logits, int axis) {
        NDArray detached = logits.stopGradient();
        NDArray targets = detached.getManager().arange(0, (int) detached.getShape().get(0), 1, DataType.INT64,
                detached.getDevice());
        return detached.argMax(axis).toType(DataType.INT64, false).eq(targets).toType(DataType.FLOAT32, false).mean();
    }
}
