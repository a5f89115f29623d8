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
 */
@Component(service = ModelRecipe.class, configurationPid = ClipRecipe.PID)
@SynthloomPlugin(kind = ModelRecipe.KIND, name = ClipRecipe.NAME)
@Designate(ocd = ClipConfig.class)
public class ClipRecipe implements ModelRecipe {

    static final String NAME = "clip";
    static final String PID = "org.synthloom.models.clip";

    private static final Set<String> OUTPUTS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE)));

    private final ImageEncoder imageEncoder;
    private final TextEncoder textEncoder;
    private final int embedDim;
    private final float logitScaleInit;
    private final float logitScaleMax;
    private final List<String> inputs;

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
        if (!(Math.exp(logitScaleInit) <= logitScaleMax)) {
            throw new IllegalArgumentException(PID + ": exp(logit.scale.init) = " + Math.exp(logitScaleInit)
                    + " exceeds logit.scale.max = " + logitScaleMax);
        }
        // A VQ-token image encoder reads image_tokens instead of pixels; the rest is the same.
        String imageField = Inputs.imageField(imageEncoder, NAME);
        this.inputs = List.of(imageField, Fields.TEXT_TOKENS, Fields.TEXT_MASK);
    }

    /** @return {@code [images, text_tokens, text_mask]} ({@code image_tokens} first for a VQ-token encoder) */
    @Override
    public List<String> inputs() {
        return inputs;
    }

    /** @return {@code image_embeds, text_embeds, logit_scale} */
    @Override
    public Set<String> outputs() {
        return OUTPUTS;
    }

    @Override
    public Block newModel(DataSpec spec) {
        return new ClipBlock(imageEncoder.newBlock(spec), textEncoder.newBlock(spec), inputs, embedDim,
                logitScaleInit, logitScaleMax);
    }
}
