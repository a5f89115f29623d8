package org.synthloom.models.internal;

import org.synthloom.models.nn.Norm;
import org.synthloom.models.nn.Params;
import org.synthloom.models.nn.Tensors;
import org.synthloom.models.nn.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.model.Fields;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The block of the {@code vit} encoder: a Vision Transformer.
 *
 * <p>Forward input: {@code NDList(images)}, float32 {@code (B, C, S, S)} with the channels and size
 * it was built for. Patch embedding by a convolution with kernel and stride {@code patch} gives
 * {@code N = (S / patch)^2} tokens of width {@code W}; a learned class token is prepended when the
 * block has one; learned positions are added; {@code depth} pre-LayerNorm {@link TransformerBlock}s
 * and a final LayerNorm follow. Output, by pooling: {@code cls} the class token {@code (B, W)},
 * {@code mean} the mean of the patch tokens {@code (B, W)}, {@code none} every token
 * {@code (B, N (+1), W)} (class token first).
 *
 * <p>The final LayerNorm is per token, so for {@code cls} it is applied to the selected token only
 * (same numbers, less work); for {@code mean} each token is normalised before averaging.
 *
 * <p>As a {@link PatchEncoder} it also returns the normalised patch tokens {@code (B, N, W)}
 * whatever the pooling, with chosen patch embeddings replaced by a mask token before the positions
 * are added (masked image modelling).
 */
final class VisionTransformer extends AbstractBlock implements PatchEncoder {

    private static final byte VERSION = 1;

    private final int imageSize;
    private final int channels;
    private final int patch;
    private final int width;
    private final int tokens;
    private final boolean classToken;
    private final ImagePooling pooling;
    private final Shape stride;
    private final Shape padding = new Shape(0, 0);
    private final Shape dilation = new Shape(1, 1);
    private final Parameter patchWeight;
    private final Parameter patchBias;
    private final Parameter classEmbedding;
    private final Parameter positions;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final Norm finalNorm;

    VisionTransformer(int imageSize, int channels, int patch, int width, int depth, int heads, int hidden,
            boolean classToken, ImagePooling pooling) {
        super(VERSION);
        this.imageSize = imageSize;
        this.channels = channels;
        this.patch = patch;
        this.width = width;
        this.classToken = classToken;
        this.pooling = pooling;
        this.stride = new Shape(patch, patch);
        int side = imageSize / patch;
        this.tokens = side * side + (classToken ? 1 : 0);
        patchWeight = addParameter(Params.weight("patch_weight", width, channels, patch, patch));
        patchBias = addParameter(Params.bias("patch_bias", width));
        classEmbedding = classToken ? addParameter(Params.normal("class_token", 0.02f, width)) : null;
        positions = addParameter(Params.normal("positions", 0.02f, tokens, width));
        for (int i = 0; i < depth; i++) {
            layers.add(addChildBlock("layer", new TransformerBlock(width, heads, hidden, 0)));
        }
        finalNorm = addChildBlock("final_norm", new Norm(width));
        inputNames = List.of(Fields.IMAGES);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = encode(store, inputs.head(), null, null, training);
        return new NDList(switch (pooling) {
            case CLS -> finalNorm.apply(store, x.get(new NDIndex().addAllDim().addIndices(0)), training);
            case MEAN -> patchesOnly(finalNorm.apply(store, x, training)).mean(new int[] {1});
            case NONE -> finalNorm.apply(store, x, training);
        });
    }

    @Override
    public int patchCount() {
        return tokens - (classToken ? 1 : 0);
    }

    @Override
    public int patchWidth() {
        return width;
    }

    @Override
    public NDArray patchFeatures(ParameterStore store, NDArray images, NDArray mask, NDArray maskToken,
            boolean training) {
        return patchesOnly(finalNorm.apply(store, encode(store, images, mask, maskToken, training), training));
    }

    /** The tokens {@code (B, N (+1), W)} of the last transformer block, before the final LayerNorm. */
    private NDArray encode(ParameterStore store, NDArray images, NDArray mask, NDArray maskToken, boolean training) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4 || shape.get(1) != channels || shape.get(2) != imageSize
                || shape.get(3) != imageSize) {
            throw new IllegalArgumentException("the ViT was built for images (B, " + channels + ", " + imageSize + ", "
                    + imageSize + "), got " + shape);
        }
        Device device = images.getDevice();
        long b = shape.get(0);
        // (B, W, S/p, S/p) -> (B, N, W)
        NDArray x = Conv2d.conv2d(images, store.getValue(patchWeight, device, training),
                store.getValue(patchBias, device, training), stride, padding, dilation).singletonOrThrow()
                .reshape(b, width, -1).transpose(0, 2, 1);
        if (mask != null) {
            if (!mask.getShape().equals(new Shape(b, patchCount()))) {
                throw new IllegalArgumentException("the ViT's patch mask must be (B, N) = (" + b + ", " + patchCount()
                        + "), got " + mask.getShape());
            }
            // x - m (x - token): the token where m = 1, the patch where m = 0 (before the positions, as in
            // iBOT); x first in each operation so that the results live in the step's manager.
            x = x.sub(mask.expandDims(2).mul(x.sub(maskToken)));
        }
        if (classToken) {
            NDArray cls = Tensors.local(store.getValue(classEmbedding, device, training).reshape(1, 1, width), x)
                    .broadcast(b, 1, width);
            x = NDArrays.concat(new NDList(cls, x), 1);
        }
        x = x.add(store.getValue(positions, device, training));
        for (TransformerBlock layer : layers) {
            x = layer.apply(store, x, null, null, null, training);
        }
        return x;
    }

    /** {@code (B, N (+1), W)} without the class token, if any. */
    private NDArray patchesOnly(NDArray sequence) {
        return classToken ? sequence.get(new NDIndex().addAllDim().addSliceDim(1, tokens)) : sequence;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {pooling == ImagePooling.NONE ? new Shape(b, tokens, width) : new Shape(b, width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape sequence = new Shape(inputShapes[0].get(0), tokens, width);
        for (TransformerBlock layer : layers) {
            layer.initialize(manager, dataType, sequence);
        }
        finalNorm.initialize(manager, dataType, sequence);
    }
}
