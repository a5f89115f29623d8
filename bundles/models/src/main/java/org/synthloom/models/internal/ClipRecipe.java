package org.synthloom.models.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.ImageEncoder;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.TextEncoder;

import ai.djl.nn.Block;

/**
 * The {@code clip} model recipe: the referenced image and text encoders, bias-free projections to
 * {@code embed.dim}, L2 normalisation and a learnable temperature, as in CLIP. See
 * {@link ClipBlock} for the block's inputs and outputs. The encoders are the DS references
 * {@code image} and {@code text}, chosen with {@code image.target} and {@code text.target}; by
 * default {@code cnn} and {@code cnn-text}, so that adding encoders to the runtime never changes
 * which ones an unconfigured recipe binds.
 *
 * <p>With {@code mim.ratio > 0} the model also learns by masked image modelling with an EMA
 * teacher ({@link MaskedImageModelling}); that needs an image encoder whose block is a
 * {@link PatchEncoder} ({@code vit}).
 */
@Component(service = ModelRecipe.class, configurationPid = ClipRecipe.PID)
@SynthloomPlugin(kind = ModelRecipe.KIND, name = ClipRecipe.NAME)
@Designate(ocd = ClipConfig.class)
public class ClipRecipe implements ModelRecipe {

    static final String NAME = "clip";
    static final String PID = "org.synthloom.models.clip";

    private static final Set<String> OUTPUTS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE)));
    private static final Set<String> MIM_OUTPUTS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE, Fields.MIM_PREDICTIONS, Fields.MIM_TARGETS,
            Fields.MIM_MASK)));

    private final ImageEncoder imageEncoder;
    private final TextEncoder textEncoder;
    private final int embedDim;
    private final float logitScaleInit;
    private final float logitScaleMax;
    private final List<String> inputs;
    private final float mimRatio;
    private final float mimMomentum;
    private final Set<String> outputs;

    /**
     * @param imageEncoder the image side
     * @param textEncoder the text side
     * @param config embedding width and temperature
     * @throws IllegalArgumentException if the configuration is invalid or the image encoder reads
     *     precomputed embeddings, which have no batch field
     */
    @Activate
    public ClipRecipe(@Reference(name = "image", policyOption = ReferencePolicyOption.GREEDY,
                    target = "(synthloom.name=" + CnnImageEncoder.NAME + ")") ImageEncoder imageEncoder,
            @Reference(name = "text", policyOption = ReferencePolicyOption.GREEDY,
                    target = "(synthloom.name=" + CnnTextEncoder.NAME + ")") TextEncoder textEncoder,
            ClipConfig config) {
        this.imageEncoder = imageEncoder;
        this.textEncoder = textEncoder;
        this.embedDim = config.embed_dim();
        this.logitScaleInit = config.logit_scale_init();
        this.logitScaleMax = config.logit_scale_max();
        Checks.positive(PID, "embed.dim", embedDim);
        Checks.positive(PID, "logit.scale.max", logitScaleMax);
        this.mimRatio = config.mim_ratio();
        this.mimMomentum = config.mim_momentum();
        if (!(mimRatio >= 0 && mimRatio < 1)) {
            throw new IllegalArgumentException(PID + ": mim.ratio must be in [0, 1), got " + mimRatio);
        }
        if (!(mimMomentum >= 0 && mimMomentum <= 1)) {
            throw new IllegalArgumentException(PID + ": mim.momentum must be in [0, 1], got " + mimMomentum);
        }
        if (!(Math.exp(logitScaleInit) <= logitScaleMax)) {
            throw new IllegalArgumentException(PID + ": exp(logit.scale.init) = " + Math.exp(logitScaleInit)
                    + " exceeds logit.scale.max = " + logitScaleMax);
        }
        // A VQ-token image encoder reads image_tokens instead of pixels; the rest is the same.
        String imageField = Inputs.imageField(imageEncoder, NAME);
        this.inputs = List.of(imageField, Fields.TEXT_TOKENS, Fields.TEXT_MASK);
        this.outputs = mimRatio > 0 ? MIM_OUTPUTS : OUTPUTS;
    }

    /** @return {@code [images, text_tokens, text_mask]} ({@code image_tokens} first for a VQ-token encoder) */
    @Override
    public List<String> inputs() {
        return inputs;
    }

    /**
     * @return {@code image_embeds, text_embeds, logit_scale}, and with {@code mim.ratio > 0}
     *     {@code mim_predictions, mim_targets, mim_mask} (made by training passes only)
     */
    @Override
    public Set<String> outputs() {
        return outputs;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException with {@code mim.ratio > 0}, if the image encoder's block has
     *     no patch features (only {@code vit}'s has)
     */
    @Override
    public Block newModel(DataSpec spec) {
        Block image = imageEncoder.newBlock(spec);
        MaskedImageModelling mim = null;
        if (mimRatio > 0) {
            if (!(image instanceof PatchEncoder student)) {
                throw new IllegalArgumentException(PID + ": mim.ratio = " + mimRatio + " needs an image encoder with "
                        + "patch features that accepts a patch mask (vit); the image encoder "
                        + imageEncoder.getClass().getSimpleName() + " (block " + image.getClass().getSimpleName()
                        + ") has none: choose vit with image.target or set mim.ratio = 0");
            }
            // The teacher is a second block of the same encoder: same architecture, its own parameters.
            mim = new MaskedImageModelling(student, (PatchEncoder) imageEncoder.newBlock(spec), mimRatio, mimMomentum);
        }
        return new ClipBlock(image, textEncoder.newBlock(spec), inputs, embedDim, logitScaleInit, logitScaleMax, mim);
    }
}
