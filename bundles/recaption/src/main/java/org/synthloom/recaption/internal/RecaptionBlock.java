package org.synthloom.recaption.internal;

import java.util.ArrayList;
import java.util.List;

import org.synthloom.models.nn.AttentionMasks;
import org.synthloom.models.nn.Dense;
import org.synthloom.models.nn.Norm;
import org.synthloom.models.nn.Params;
import org.synthloom.models.nn.Tensors;
import org.synthloom.models.nn.TokenEmbedding;
import org.synthloom.models.nn.TransformerBlock;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CLIPS's recaptioner: one transformer over {@code [image tokens][web caption][generated caption]}
 * under the combination mask ({@link AttentionMasks#prefixCausal}): the prefix (image tokens and
 * web caption) attends bidirectionally within itself, each generated token attends to the whole
 * prefix and causally to the generated tokens up to itself, and the prefix never sees the
 * generated caption.
 *
 * <p>Embeddings: the image's VQ ids through a codebook embedding with learned positions (a
 * {@link TokenEmbedding} over the codebook, as the Synth2 captioner embeds its token grid); the
 * two captions share one token table (so a word the web caption shows is the word the decoder
 * writes) with separate learned positions, which also tell the two segments apart. Then
 * {@code depth} pre-LN {@link TransformerBlock}s, a final LayerNorm, and the output layer tied to
 * the token table, read at the generated positions only.
 *
 * <p>Forward: {@code NDList(image (B, N), web (B, Tw), webMask (B, Tw), generated (B, Tg))}, ids
 * as int32/int64, {@code N} the architecture's image tokens, {@code Tw} and {@code Tg} at most the
 * caption context; returns {@code (B, Tg, V)} logits: position {@code t} predicts the generated
 * token after the first {@code t + 1}. Web-caption padding is masked as keys; the generated
 * caption's padding comes after its end token, where causality keeps it from every real position.
 */
final class RecaptionBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Architecture architecture;
    private final TokenEmbedding image;
    private final TokenEmbedding text;
    private final Parameter generatedPositions;
    private final List<TransformerBlock> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final AttentionMasks masks = new AttentionMasks();

    /**
     * The sizes that define the block; what the saved model records.
     *
     * @param vocabularySize the text tokenizer's vocabulary
     * @param codebookSize the image tokenizer's codebook
     * @param imageTokens VQ tokens per image
     * @param captionContext caption tokens per segment, start and end included
     */
    record Architecture(int vocabularySize, int codebookSize, int imageTokens, int captionContext, int width, int depth,
            int heads) {}

    RecaptionBlock(Architecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        int width = architecture.width();
        image = addChildBlock("image_embedding", new TokenEmbedding(architecture.codebookSize(),
                architecture.imageTokens(), width));
        text = addChildBlock("text_embedding", new TokenEmbedding(architecture.vocabularySize(),
                architecture.captionContext(), width));
        generatedPositions = addParameter(Params.normal("generated_positions", 0.01f, architecture.captionContext(),
                width));
        for (int i = 0; i < architecture.depth(); i++) {
            layers.add(addChildBlock("layer", new TransformerBlock(width, architecture.heads(), 4 * width, 0)));
        }
        finalNorm = addChildBlock("final_norm", new Norm(width));
    }

    /** @return the sizes the block was built with */
    Architecture architecture() {
        return architecture;
    }

    /**
     * The next-token logits at every generated position.
     *
     * @param imageIds {@code (B, N)} VQ ids
     * @param web {@code (B, Tw)} web-caption ids
     * @param webMask {@code (B, Tw)}, 1 at real tokens
     * @param generated {@code (B, Tg)} generated-caption ids so far, start token first
     * @return {@code (B, Tg, V)}
     */
    NDArray logits(ParameterStore store, NDArray imageIds, NDArray web, NDArray webMask, NDArray generated,
            boolean training) {
        NDArray h = hidden(store, imageIds, web, webMask, generated, training);
        long prefix = imageIds.getShape().get(1) + web.getShape().get(1);
        NDArray table = text.table(store, generated.getDevice(), training);
        return Dense.apply(h.get(new NDIndex().addAllDim().addSliceDim(prefix, prefix + generated.getShape().get(1))),
                table, null);
    }

    /**
     * The final hidden states of the whole sequence.
     *
     * @return {@code (B, N + Tw + Tg, W)} after the final LayerNorm; arguments as {@link #logits}
     */
    NDArray hidden(ParameterStore store, NDArray imageIds, NDArray web, NDArray webMask, NDArray generated,
            boolean training) {
        Device device = generated.getDevice();
        long b = generated.getShape().get(0);
        long n = imageIds.getShape().get(1);
        long tw = web.getShape().get(1);
        long tg = generated.getShape().get(1);
        if (n != architecture.imageTokens() || tg > architecture.captionContext() || imageIds.getShape().get(0) != b
                || !web.getShape().equals(webMask.getShape()) || web.getShape().get(0) != b) {
            throw new IllegalArgumentException("the recaptioner reads (B, " + architecture.imageTokens()
                    + ") image tokens, a web caption and its mask (B, Tw) and a generated caption (B, Tg) with Tw and Tg"
                    + " at most " + architecture.captionContext() + ", got " + imageIds.getShape() + ", " + web.getShape()
                    + ", " + webMask.getShape() + " and " + generated.getShape());
        }
        NDArray table = text.table(store, device, training);
        NDArray gen = Embedding.embedding(generated.toType(DataType.INT64, false), table, SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray positions = store.getValue(generatedPositions, device, training);
        gen = gen.add(tg == architecture.captionContext() ? positions
                : Tensors.local(positions.get(new NDIndex().addSliceDim(0, tg)), gen));
        NDArray x = image.apply(store, imageIds, null, training)
                .concat(text.apply(store, web, webMask, training), 1)
                .concat(gen, 1);
        // Keys: the image and the generated tokens are all real; the web caption's padding is not.
        NDManager owner = text.owner(store, device, training);
        NDArray keys = webMask.getManager().ones(new Shape(b, n), DataType.FLOAT32)
                .concat(webMask.toType(DataType.FLOAT32, false), 1)
                .concat(webMask.getManager().ones(new Shape(b, tg), DataType.FLOAT32), 1);
        NDArray mask = AttentionMasks.keyPadding(keys).add(masks.prefixCausal(n + tw, n + tw + tg, owner));
        for (TransformerBlock layer : layers) {
            x = layer.apply(store, x, mask, null, null, training);
        }
        return finalNorm.apply(store, x, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 4) {
            throw new IllegalArgumentException("the recaptioner reads (image tokens, web caption, web mask, generated"
                    + " caption), got " + inputs.size() + " array(s)");
        }
        return new NDList(logits(store, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape generated = inputShapes[3];
        return new Shape[] {new Shape(generated.get(0), generated.get(1), architecture.vocabularySize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        image.initialize(manager, dataType, inputShapes[0]);
        text.initialize(manager, dataType, inputShapes[1]);
        long b = inputShapes[0].get(0);
        Shape x = new Shape(b, inputShapes[0].get(1) + inputShapes[1].get(1) + inputShapes[3].get(1),
                architecture.width());
        for (TransformerBlock layer : layers) {
            layer.initialize(manager, dataType, x);
        }
        finalNorm.initialize(manager, dataType, x);
    }
}
