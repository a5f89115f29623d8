package org.synthloom.batch;

import java.util.List;

import org.synthloom.api.model.Fields;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A batch assembled in Java arrays (by a loader thread, off the training thread), turned into
 * named tensors with one copy per field.
 */
public final class HostBatch {

    private final int size;
    private final List<String> ids;
    private final float[] images;
    private final int imageSize;
    private final int[] imageTokens;
    private final int tokensPerImage;
    private final int[] textTokens;
    private final int[] textMask;
    private final int contextLength;
    private final int[] labels;
    private final int[] groups;

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

    /** @return the number of samples */
    public int size() {
        return size;
    }

    /** @return the samples' ids, in batch order */
    public List<String> ids() {
        return ids;
    }

    /**
     * @param manager where to allocate
     * @param device where to place the tensors
     * @return every field as a tensor named after its {@link Fields} constant
     */
    public NDList toNDList(NDManager manager, Device device) {
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
     * Picks a model's inputs out of the fields, in the model's order.
     *
     * @param fields named batch fields
     * @param order the fields the model reads, in its order ({@code ModelRecipe.inputs()})
     * @return the inputs
     * @throws IllegalArgumentException if the batch lacks an input the model reads
     */
    public static NDList inputs(NDList fields, List<String> order) {
        NDList inputs = new NDList(order.size());
        for (String name : order) {
            NDArray field = fields.get(name);
            if (field == null) {
                throw new IllegalArgumentException("the model reads '" + name + "', which the data does not provide (it has "
                        + fields.stream().map(NDArray::getName).toList() + ")");
            }
            inputs.add(field);
        }
        return inputs;
    }
}
