package org.synthloom.maskgit.internal;

import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.model.Fields;
import org.synthloom.models.nn.AttentionMasks;
import org.synthloom.models.nn.Dense;
import org.synthloom.models.nn.Norm;
import org.synthloom.models.nn.Params;
import org.synthloom.models.nn.TokenEmbedding;
import org.synthloom.models.nn.TransformerBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The bidirectional transformer of the generator. Its sequence is the caption ({@code C} text
 * tokens, padding masked out of attention) followed by the {@code N = grid * grid} image tokens
 * (ids in {@code [0, K]}, {@code K} being [MASK]), each part with its own embedding table and
 * learned positions; {@code depth} pre-LayerNorm layers attend in both directions; a final LayerNorm
 * and a linear head give logits over the {@code K} codes at the image positions only.
 *
 * <p>Block forward (training through the engine's loop): {@code NDList(image_tokens, text_tokens,
 * text_mask)}. It masks each sample's grid itself: mask ratio {@code r = gamma(u)}, {@code u ~
 * U(0, 1)}, and {@code ceil(r N)} positions chosen uniformly (at least one); in training it replaces
 * the caption by the empty one with probability {@code p.uncond}. Output: {@link #LOGITS} {@code (B,
 * N, K)} and {@link #TARGETS} {@code (B, N)} int64, the true code at masked positions and {@code -1}
 * elsewhere. The randomness is libtorch's, seeded by the training loop.
 */
final class MaskGitBlock extends AbstractBlock {

    /** Output: logits over the codebook at every image position {@code (B, N, K)}. */
    static final String LOGITS = "maskgit_logits";
    /** Output: the code to predict at masked positions, {@code -1} at the others, int64 {@code (B, N)}. */
    static final String TARGETS = "maskgit_targets";

    private static final byte VERSION = 1;

    private final Dims dims;
    private final int width;
    private final MaskSchedule schedule;
    private final double pUncond;
    private final int[] emptyCaption;
    private final int[] emptyMask;
    private final TokenEmbedding text;
    private final TokenEmbedding image;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final Parameter headWeight;
    private final Parameter headBias;

    /**
     * @param settings architecture, mask schedule and {@code p.uncond}
     * @param dims the data shapes
     * @param emptyCaption the empty caption's tokens {@code (C)}, as the pipeline tokenises {@code ""}
     * @param emptyMask its padding mask {@code (C)}
     */
    MaskGitBlock(Settings settings, Dims dims, int[] emptyCaption, int[] emptyMask) {
        super(VERSION);
        if (emptyCaption.length != dims.context() || emptyMask.length != dims.context()) {
            throw new IllegalArgumentException("the empty caption has " + emptyCaption.length + " tokens, the context "
                    + dims.context());
        }
        this.dims = dims;
        this.width = settings.width();
        this.schedule = settings.schedule();
        this.pUncond = settings.pUncond();
        this.emptyCaption = emptyCaption.clone();
        this.emptyMask = emptyMask.clone();
        text = addChildBlock("text_embedding", new TokenEmbedding(dims.vocabulary(), dims.context(), width));
        image = addChildBlock("image_embedding", new TokenEmbedding(dims.codebookSize() + 1, dims.tokens(), width));
        for (int i = 0; i < settings.depth(); i++) {
            layers.add(addChildBlock("layer", new TransformerBlock(width, settings.heads(), settings.hidden(), 0)));
        }
        finalNorm = addChildBlock("final_norm", new Norm(width));
        headWeight = addParameter(Params.weight("head_weight", dims.codebookSize(), width));
        headBias = addParameter(Params.bias("head_bias", dims.codebookSize()));
        inputNames = List.of(Fields.IMAGE_TOKENS, Fields.TEXT_TOKENS, Fields.TEXT_MASK);
    }

    /** @return the data shapes the model is built for */
    Dims dims() {
        return dims;
    }

    /**
     * The logits of the codes at the image positions.
     *
     * @param ids image token ids {@code (B, N)} in {@code [0, K]}, {@code K} at masked positions
     * @param captions caption tokens {@code (B, C)}
     * @param captionMask 1 at real caption tokens, 0 at padding {@code (B, C)}
     * @return {@code (B, N, K)} float32
     */
    NDArray logits(ParameterStore store, NDArray ids, NDArray captions, NDArray captionMask, boolean training) {
        long b = ids.getShape().get(0);
        long n = ids.getShape().get(1);
        long c = captions.getShape().get(1);
        NDArray x = text.apply(store, captions, captionMask, training).concat(image.apply(store, ids, null, training), 1);
        // Image tokens are never padding: only the caption's padding is blocked, for every query.
        NDArray keys = captionMask.toType(DataType.FLOAT32, false).concat(ids.getManager().ones(new Shape(b, n)), 1);
        NDArray bias = AttentionMasks.keyPadding(keys);
        for (TransformerBlock layer : layers) {
            x = layer.apply(store, x, bias, null, null, training);
        }
        NDArray images = finalNorm.apply(store, x.get(new NDIndex().addAllDim().addSliceDim(c, c + n)), training);
        return Dense.apply(images, store.getValue(headWeight, ids.getDevice(), training),
                store.getValue(headBias, ids.getDevice(), training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() < 3) {
            throw new IllegalArgumentException("the MaskGIT model takes (image_tokens, text_tokens, text_mask), got "
                    + inputs.size() + " array(s)");
        }
        NDArray tokens = inputs.get(0).toType(DataType.INT64, false);
        NDArray captions = inputs.get(1).toType(DataType.INT64, false);
        NDArray captionMask = inputs.get(2).toType(DataType.INT64, false);
        NDManager m = tokens.getManager();
        long b = tokens.getShape().get(0);
        long n = tokens.getShape().get(1);
        if (n != dims.tokens()) {
            throw new IllegalArgumentException("the model is built for " + dims.tokens() + " image tokens, got " + n);
        }
        // ceil(gamma(u) N) positions per sample, at least one: those whose random score ranks lowest.
        NDArray count = schedule.gamma(m.randomUniform(0f, 1f, new Shape(b, 1))).mul((float) n).ceil().clip(1f, (float) n);
        NDArray rank = m.randomUniform(0f, 1f, new Shape(b, n)).argSort(1).argSort(1).toType(DataType.FLOAT32, false);
        NDArray masked = rank.lt(count).toType(DataType.INT64, false);
        NDArray ids = tokens.mul(masked.neg().add(1L)).add(masked.mul((long) dims.maskId()));
        if (training && pUncond > 0) {
            // Classifier-free guidance: some samples learn from the empty caption.
            NDArray drop = m.randomUniform(0f, 1f, new Shape(b, 1)).lt((float) pUncond).toType(DataType.INT64, false);
            NDArray keep = drop.neg().add(1L);
            Shape one = new Shape(1, dims.context());
            captions = captions.mul(keep).add(m.create(emptyCaption, one).toType(DataType.INT64, false).mul(drop));
            captionMask = captionMask.mul(keep).add(m.create(emptyMask, one).toType(DataType.INT64, false).mul(drop));
        }
        NDArray logits = logits(store, ids, captions, captionMask, training);
        logits.setName(LOGITS);
        NDArray targets = tokens.add(1L).mul(masked).sub(1L);
        targets.setName(TARGETS);
        return new NDList(logits, targets);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, dims.tokens(), dims.codebookSize()), new Shape(b, dims.tokens())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        text.initialize(manager, dataType, new Shape(b, dims.context()));
        image.initialize(manager, dataType, new Shape(b, dims.tokens()));
        Shape sequence = new Shape(b, dims.context() + dims.tokens(), width);
        for (TransformerBlock layer : layers) {
            layer.initialize(manager, dataType, sequence);
        }
        finalNorm.initialize(manager, dataType, new Shape(b, dims.tokens(), width));
    }
}
