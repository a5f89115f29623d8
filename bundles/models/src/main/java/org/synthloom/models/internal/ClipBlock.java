package org.synthloom.models.internal;

import org.synthloom.api.train.Scalars;
import org.synthloom.models.nn.Tensors;
import java.util.List;

import org.synthloom.api.model.Fields;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The CLIP model: two encoders, bias-free linear projections to a shared width {@code D}, L2
 * normalisation, and a learnable log temperature.
 *
 * <p>Forward input, in this order: images ({@code images}, float32 {@code (B, C, H, W)}; or
 * {@code image_tokens} for a VQ-token encoder), {@code text_tokens} (int32/int64 {@code (B, T)})
 * and {@code text_mask} ({@code (B, T)}, 1 at real tokens). Arrays are found by name first, then
 * by position when the list holds exactly three arrays. Output, named:
 * {@code image_embeds} (float32 {@code (B, D)}, unit rows), {@code text_embeds} (same) and
 * {@code logit_scale} (a float32 scalar, {@code min(exp(log scale), max)}).
 *
 * <p>A named list with only the image field, or only the two text fields, runs only that side
 * and returns its embeddings and {@code logit_scale}: evaluators embed class prompts that way.
 *
 * <p>With masked image modelling ({@link MaskedImageModelling}, a child named {@code mim}), a
 * training pass that has images also returns {@code mim_predictions}, {@code mim_targets} and
 * {@code mim_mask}; the contrastive outputs still come from the unmasked pass of the image
 * encoder, so they are those of the model without it. Inference passes are unchanged.
 */
final class ClipBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    /** As in {@code torch.nn.functional.normalize}: guards the division for a zero vector. */
    private static final float NORM_EPSILON = 1e-12f;

    private final Block imageEncoder;
    private final Block textEncoder;
    private final Block imageProjection;
    private final Block textProjection;
    private final Parameter logitScale;
    private final float logitScaleMax;
    private final MaskedImageModelling mim;

    /**
     * @param imageEncoder maps the image field to {@code (B, Fi)}
     * @param textEncoder maps {@code (tokens, mask)} to {@code (B, Ft)}
     * @param inputs the three input field names, image field first
     * @param embedDim the shared width
     * @param logitScaleInit initial log temperature
     * @param logitScaleMax upper clamp of the exponentiated temperature
     * @param mim masked image modelling over {@code imageEncoder}, or null for none
     */
    ClipBlock(Block imageEncoder, Block textEncoder, List<String> inputs, int embedDim, float logitScaleInit,
            float logitScaleMax, MaskedImageModelling mim) {
        super(VERSION);
        this.imageEncoder = addChildBlock("image_encoder", imageEncoder);
        this.textEncoder = addChildBlock("text_encoder", textEncoder);
        this.imageProjection = addChildBlock("image_projection", projection(embedDim));
        this.textProjection = addChildBlock("text_projection", projection(embedDim));
        this.logitScale = addParameter(Parameter.builder()
                .setName(Fields.LOGIT_SCALE)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape())
                .optInitializer(new ConstantInitializer(logitScaleInit))
                .build());
        this.logitScaleMax = logitScaleMax;
        // Registered last, so that it is initialised last: the other parameters draw the same
        // random numbers from the engine's seed as in a model without it.
        this.mim = mim == null ? null : addChildBlock("mim", mim);
        this.inputNames = List.copyOf(inputs);
    }

    private static Block projection(int embedDim) {
        return Linear.builder().setUnits(embedDim).optBias(false).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray images = field(inputs, 0);
        NDArray tokens = field(inputs, 1);
        NDArray mask = field(inputs, 2);
        if (images == null && tokens == null) {
            throw new IllegalArgumentException("the CLIP model needs " + inputNames.get(0) + " or "
                    + inputNames.get(1) + " + " + inputNames.get(2) + "; got " + Inputs.describe(inputs));
        }
        if (tokens != null && mask == null) {
            throw new IllegalArgumentException("the CLIP model needs " + inputNames.get(2) + " with "
                    + inputNames.get(1) + "; got " + Inputs.describe(inputs));
        }
        NDList outputs = new NDList(3);
        NDArray anchor = images != null ? images : tokens;
        Device device = anchor.getDevice();
        if (images != null) {
            NDArray features = imageEncoder.forward(parameterStore, new NDList(images), training, params).singletonOrThrow();
            outputs.add(embed(imageProjection, parameterStore, features, training, params, Fields.IMAGE_EMBEDS));
        }
        if (tokens != null) {
            NDArray features = textEncoder.forward(parameterStore, new NDList(tokens, mask), training, params)
                    .singletonOrThrow();
            outputs.add(embed(textProjection, parameterStore, features, training, params, Fields.TEXT_EMBEDS));
        }
        NDArray scale = Tensors.local(parameterStore.getValue(logitScale, device, training).exp(), anchor);
        scale = scale.minimum(Scalars.like(scale, logitScaleMax));
        scale.setName(Fields.LOGIT_SCALE);
        outputs.add(scale);
        if (mim != null && training && images != null) {
            outputs.addAll(mim.apply(parameterStore, images, training));
        }
        return outputs;
    }

    /**
     * The projection of features, L2-normalised over the last axis and named {@code name}; shared
     * with {@link ClassifierBlock}.
     */
    static NDArray embed(Block projection, ParameterStore parameterStore, NDArray features, boolean training,
            PairList<String, Object> params, String name) {
        NDArray x = projection.forward(parameterStore, new NDList(features), training, params).singletonOrThrow();
        NDArray unit = x.div(x.norm(new int[] {-1}, true).maximum(Scalars.like(x, NORM_EPSILON)));
        unit.setName(name);
        return unit;
    }

    private NDArray field(NDList inputs, int index) {
        return Inputs.field(inputs, inputNames, index);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {imageEmbedShape(inputShapes[0]), textEmbedShape(inputShapes[1], inputShapes[2]), new Shape()};
    }

    private Shape imageEmbedShape(Shape images) {
        return imageProjection.getOutputShapes(imageEncoder.getOutputShapes(new Shape[] {images}))[0];
    }

    private Shape textEmbedShape(Shape tokens, Shape mask) {
        return textProjection.getOutputShapes(textEncoder.getOutputShapes(new Shape[] {tokens, mask}))[0];
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 3) {
            throw new IllegalArgumentException("the CLIP model is initialised with the shapes of " + inputNames
                    + ", got " + inputShapes.length + " shape(s)");
        }
        imageEncoder.initialize(manager, dataType, inputShapes[0]);
        imageProjection.initialize(manager, dataType, imageEncoder.getOutputShapes(new Shape[] {inputShapes[0]}));
        textEncoder.initialize(manager, dataType, inputShapes[1], inputShapes[2]);
        textProjection.initialize(manager, dataType,
                textEncoder.getOutputShapes(new Shape[] {inputShapes[1], inputShapes[2]}));
        if (mim != null) {
            mim.initialize(manager, dataType, inputShapes[0]);
        }
    }
}
