package org.synthloom.api.model;

/**
 * Names of batch fields (what the data loader puts in the {@link ai.djl.ndarray.NDList} given to a
 * model) and of model outputs (what a model's forward pass returns). Arrays in an {@code NDList}
 * carry these as their names, and {@link ai.djl.ndarray.NDList#get(String)} finds them.
 */
public final class Fields {

    /** Batch: images as float32 {@code (B, C, H, W)}, normalised. */
    public static final String IMAGES = "images";
    /** Batch: VQ token ids as int32/int64 {@code (B, rows * columns)}. */
    public static final String IMAGE_TOKENS = "image_tokens";
    /** Batch: caption token ids as int32/int64 {@code (B, context)}, padded. */
    public static final String TEXT_TOKENS = "text_tokens";
    /** Batch: 1 where {@link #TEXT_TOKENS} holds a real token, 0 at padding; {@code (B, context)}. */
    public static final String TEXT_MASK = "text_mask";
    /** Batch: class indices {@code (B)} for labelled data. */
    public static final String LABELS = "labels";
    /**
     * Batch: caption-group ids {@code (B)}; samples with the same id are positives of each other
     * (SynCLR's several images per caption, CLIPS's full and partial captions).
     */
    public static final String CAPTION_GROUPS = "caption_groups";

    /** Output: image embeddings {@code (B, D)}, L2-normalised. */
    public static final String IMAGE_EMBEDS = "image_embeds";
    /** Output: text embeddings {@code (B, D)}, L2-normalised. */
    public static final String TEXT_EMBEDS = "text_embeds";
    /** Output: the contrastive temperature as a scalar, already exponentiated. */
    public static final String LOGIT_SCALE = "logit_scale";
    /** Output: SigLIP's learnable logit bias, a scalar. */
    public static final String LOGIT_BIAS = "logit_bias";
    /**
     * Output: next-token logits of a caption decoder {@code (B, T, V)}: position {@code t} predicts
     * the caption token that follows the first {@code t + 1} input tokens (start token included).
     */
    public static final String CAPTION_LOGITS = "caption_logits";
    /**
     * Output: the token ids the caption logits predict, int64 {@code (B, T)}; {@code -1} where there
     * is nothing to predict (after the end token), which a loss ignores.
     */
    public static final String CAPTION_TARGETS = "caption_targets";

    private Fields() {}
}
