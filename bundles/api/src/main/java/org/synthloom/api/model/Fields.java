package org.synthloom.api.model;

/**
 * Names of batch fields (what the data loader puts in the {@link ai.djl.ndarray.NDList} given to a
 * model) and of model outputs (what a model's forward pass returns). Arrays in an {@code NDList}
 * carry these as their names, and {@link ai.djl.ndarray.NDList#get(String)} finds them.
 */
public final class Fields {

    /**
     * Batch: images as float32 {@code (B, 3, H, W)}, RGB scaled to [0, 1] then normalised per
     * channel with OpenCLIP's mean {@link #imageMean()} and standard deviation {@link #imageStd()}.
     */
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
    /** Output: class logits of a classifier {@code (B, C)}, for the supervised baseline's cross-entropy. */
    public static final String CLASS_LOGITS = "class_logits";
    /**
     * Output of masked image modelling (training mode only): the student's predictions at every
     * patch, float32 {@code (B, N, D)}; a loss reads them where {@link #MIM_MASK} is 1.
     */
    public static final String MIM_PREDICTIONS = "mim_predictions";
    /**
     * Output of masked image modelling: the EMA teacher's features of the unmasked image at every
     * patch, float32 {@code (B, N, D)}, normalised per token and detached from the graph.
     */
    public static final String MIM_TARGETS = "mim_targets";
    /** Output of masked image modelling: integer {@code (B, N)}, 1 at the patches the student saw masked. */
    public static final String MIM_MASK = "mim_mask";

    private static final float[] IMAGE_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] IMAGE_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** @return the per-channel mean (R, G, B) that {@link #IMAGES} are normalised with (OpenCLIP's); a copy */
    public static float[] imageMean() {
        return IMAGE_MEAN.clone();
    }

    /** @return the per-channel standard deviation (R, G, B) that {@link #IMAGES} are normalised with; a copy */
    public static float[] imageStd() {
        return IMAGE_STD.clone();
    }

    private Fields() {}
}
