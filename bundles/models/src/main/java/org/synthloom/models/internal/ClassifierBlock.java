package org.synthloom.models.internal;

import org.synthloom.api.model.Fields;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The classifier model: an image encoder, a bias-free projection to {@code D} with L2
 * normalisation, and a linear head with bias to the classes.
 *
 * <p>Forward input: the image field ({@code images} float32 {@code (B, C, H, W)}, or
 * {@code image_tokens}), found by name, else the list's only array. Output, named:
 * {@code image_embeds} (float32 {@code (B, D)}, unit rows) and {@code class_logits}
 * ({@code (B, classes)}, the head applied to the embeddings).
 */
final class ClassifierBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block imageEncoder;
    private final Block projection;
    private final Block head;
    private final String imageField;

    ClassifierBlock(Block imageEncoder, String imageField, int embedDim, int classes) {
        super(VERSION);
        this.imageEncoder = addChildBlock("image_encoder", imageEncoder);
        this.projection = addChildBlock("image_projection", Linear.builder().setUnits(embedDim).optBias(false).build());
        this.head = addChildBlock("head", Linear.builder().setUnits(classes).build());
        this.imageField = imageField;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.get(imageField);
        if (images == null && inputs.size() == 1) {
            images = inputs.singletonOrThrow();
        }
        if (images == null) {
            throw new IllegalArgumentException("the classifier needs " + imageField + "; got " + Inputs.describe(inputs));
        }
        NDArray features = imageEncoder.forward(store, new NDList(images), training, params).singletonOrThrow();
        NDArray embeds = ClipBlock.embed(projection, store, features, training, params, Fields.IMAGE_EMBEDS);
        NDArray logits = head.forward(store, new NDList(embeds), training, params).singletonOrThrow();
        logits.setName(ClassifierRecipe.CLASS_LOGITS);
        return new NDList(embeds, logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape embeds = projection.getOutputShapes(imageEncoder.getOutputShapes(new Shape[] {inputShapes[0]}))[0];
        return new Shape[] {embeds, head.getOutputShapes(new Shape[] {embeds})[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 1) {
            throw new IllegalArgumentException("the classifier is initialised with the shape of " + imageField + ", got "
                    + inputShapes.length + " shape(s)");
        }
        imageEncoder.initialize(manager, dataType, inputShapes[0]);
        Shape features = imageEncoder.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        projection.initialize(manager, dataType, features);
        head.initialize(manager, dataType, projection.getOutputShapes(new Shape[] {features})[0]);
    }
}
