package org.synthloom.pipeline.internal;

import java.util.List;

import org.synthloom.api.model.Fields;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A batch assembled in Java arrays by a loader thread, turned into tensors on the training thread
 * with one copy per field.
 */
final class HostBatch {

    final int size;
    final List<String> ids;
    final float[] images;
    final int imageSize;
    final int[] imageTokens;
    final int tokensPerImage;
    final int[] textTokens;
    final int[] textMask;
    final int contextLength;
    final int[] labels;
    final int[] groups;

    HostBatch(List<String> ids, float[] images, int imageSize, int[] imageTokens, int tokensPerImage, int[] textTokens,
            int[] textMask, int contextLength, int[] labels, int[] groups) {
        this.size = ids.size();
        this.ids = ids;
        this.images = images;
        this.imageSize = imageSize;
        this.imageTokens = imageTokens;
        this.tokensPerImage = tokensPerImage;
        this.textTokens = textTokens;
        this.textMask = textMask;
        this.contextLength = contextLength;
        this.labels = labels;
        this.groups = groups;
    }

    /** @return every field as a named tensor, in the manager (and on its device) */
    NDList toNDList(NDManager manager, Device device) {
        NDList fields = new NDList();
        if (images != null) {
            fields.add(named(manager.create(images, new Shape(size, 3, imageSize, imageSize)), Fields.IMAGES, device));
        }
        if (imageTokens != null) {
            fields.add(named(manager.create(imageTokens, new Shape(size, tokensPerImage)), Fields.IMAGE_TOKENS, device));
        }
        if (textTokens != null) {
            fields.add(named(manager.create(textTokens, new Shape(size, contextLength)), Fields.TEXT_TOKENS, device));
            fields.add(named(manager.create(textMask, new Shape(size, contextLength)), Fields.TEXT_MASK, device));
        }
        fields.add(named(manager.create(labels, new Shape(size)), Fields.LABELS, device));
        fields.add(named(manager.create(groups, new Shape(size)), Fields.CAPTION_GROUPS, device));
        return fields;
    }

    private static NDArray named(NDArray array, String name, Device device) {
        NDArray placed = array.getDevice().equals(device) ? array : array.toDevice(device, false);
        placed.setName(name);
        return placed;
    }

    /**
     * Picks the model's inputs out of the fields, in the model's order.
     *
     * @throws StageFailure if the batch lacks an input the model reads
     */
    static NDList inputs(NDList fields, List<String> order) {
        NDList inputs = new NDList(order.size());
        for (String name : order) {
            NDArray field = fields.get(name);
            if (field == null) {
                throw new StageFailure("the model reads '" + name + "', which the data does not provide (it has "
                        + fields.stream().map(NDArray::getName).toList() + ")");
            }
            inputs.add(field);
        }
        return inputs;
    }
}
