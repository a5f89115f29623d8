package org.synthloom.models.internal;

import java.util.List;

import org.synthloom.api.model.Fields;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The Synth2 VLM: image encoder, Perceiver Resampler, caption decoder.
 *
 * <p>Forward input, in this order (found by name first, then by position): the image field
 * ({@code image_tokens} int32/int64 {@code (B, N)} or {@code images} float32 {@code (B, C, H, W)}),
 * {@code text_tokens} {@code (B, T)} with {@code T >= 2} and {@code text_mask} {@code (B, T)} (1 at
 * real tokens, 0 at padding). The image encoder's output, {@code (B, N, F)} or {@code (B, F)} (a
 * one-element sequence), is resampled to {@code (B, L, W)} latents, and the decoder reads the first
 * {@code T - 1} tokens. Output, named:
 * <ul>
 * <li>{@code caption_logits} float32 {@code (B, T - 1, V)}: position {@code t} predicts token
 * {@code t + 1} from tokens {@code 0..t} and the image;</li>
 * <li>{@code caption_targets} int64 {@code (B, T - 1)}: token {@code t + 1}, or {@code -1} where
 * the mask says it is padding.</li>
 * </ul>
 *
 * <p>Greedy decoding by repeated forward passes: put the start token at position 0, padding
 * elsewhere, and mask 1 at position 0 only. After a pass with {@code k + 1} real tokens, the
 * argmax of {@code caption_logits[:, k]} is token {@code k + 1}: write it at position {@code k + 1},
 * set the mask there to 1, and repeat until the end token or the context is full. Causal
 * attention makes position {@code k}'s logits independent of everything after it, so the padding
 * (whatever its ids) does not change them, and they equal the logits the model was trained on.
 */
final class CaptionerBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block imageEncoder;
    private final PerceiverResampler resampler;
    private final CaptionDecoder decoder;
    private final int vocabularySize;

    CaptionerBlock(Block imageEncoder, PerceiverResampler resampler, CaptionDecoder decoder, List<String> inputs,
            int vocabularySize) {
        super(VERSION);
        this.imageEncoder = addChildBlock("image_encoder", imageEncoder);
        this.resampler = addChildBlock("resampler", resampler);
        this.decoder = addChildBlock("decoder", decoder);
        this.vocabularySize = vocabularySize;
        this.inputNames = List.copyOf(inputs);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray image = Inputs.field(inputs, inputNames, 0);
        NDArray tokens = Inputs.field(inputs, inputNames, 1);
        NDArray mask = Inputs.field(inputs, inputNames, 2);
        if (image == null || tokens == null || mask == null) {
            throw new IllegalArgumentException("the captioner needs " + inputNames + ", got " + Inputs.describe(inputs));
        }
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2 || shape.get(1) < 2 || !mask.getShape().equals(shape)) {
            throw new IllegalArgumentException("the captioner needs " + Fields.TEXT_TOKENS + " and " + Fields.TEXT_MASK
                    + " (B, T) with T >= 2, got " + shape + " and " + mask.getShape());
        }
        NDArray features = imageEncoder.forward(store, new NDList(image), training, params).singletonOrThrow();
        NDArray latents = resampler.apply(store, sequence(features), training);
        NDIndex head = new NDIndex().addAllDim().addSliceDim(0, shape.get(1) - 1);
        NDIndex tail = new NDIndex().addAllDim().addSliceDim(1, shape.get(1));
        NDArray logits = decoder.apply(store, tokens.get(head), mask.get(head), latents, training);
        logits.setName(Fields.CAPTION_LOGITS);
        // next * m + (m - 1): the next token where the mask is 1, -1 where it is 0.
        NDArray next = tokens.get(tail).toType(DataType.INT64, false);
        NDArray real = mask.get(tail).toType(DataType.INT64, false);
        NDArray targets = next.mul(real).add(real.sub(1));
        targets.setName(Fields.CAPTION_TARGETS);
        return new NDList(logits, targets);
    }

    /** Encoder output as a sequence: {@code (B, N, F)} as it is, {@code (B, F)} as one element. */
    private static NDArray sequence(NDArray features) {
        return features.getShape().dimension() == 2 ? features.expandDims(1) : features;
    }

    private static Shape sequence(Shape features) {
        return features.dimension() == 2 ? new Shape(features.get(0), 1, features.get(1)) : features;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[1];
        return new Shape[] {new Shape(tokens.get(0), tokens.get(1) - 1, vocabularySize),
            new Shape(tokens.get(0), tokens.get(1) - 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 3) {
            throw new IllegalArgumentException("the captioner is initialised with the shapes of " + inputNames + ", got "
                    + inputShapes.length + " shape(s)");
        }
        imageEncoder.initialize(manager, dataType, inputShapes[0]);
        Shape features = sequence(imageEncoder.getOutputShapes(new Shape[] {inputShapes[0]})[0]);
        resampler.initialize(manager, dataType, features);
        Shape latents = resampler.getOutputShapes(new Shape[] {features})[0];
        Shape text = new Shape(inputShapes[1].get(0), inputShapes[1].get(1) - 1);
        decoder.initialize(manager, dataType, text, text, latents);
    }
}
