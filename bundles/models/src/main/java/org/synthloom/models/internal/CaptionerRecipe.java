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

import ai.djl.nn.Block;

/**
 * The {@code captioner} model recipe, Synth2's VLM: the referenced image encoder (DS reference
 * {@code image}, chosen with {@code image.target}, by default {@code token-embed}; VQ tokens or
 * pixels), a Perceiver Resampler and
 * a causal transformer decoder that cross-attends to the resampler's latents. See
 * {@link CaptionerBlock} for the block's inputs, outputs and greedy decoding.
 */
@Component(service = ModelRecipe.class, configurationPid = CaptionerRecipe.PID)
@SynthloomPlugin(kind = ModelRecipe.KIND, name = CaptionerRecipe.NAME)
@Designate(ocd = CaptionerConfig.class)
public class CaptionerRecipe implements ModelRecipe {

    static final String NAME = "captioner";
    static final String PID = "org.synthloom.models.captioner";

    private static final Set<String> OUTPUTS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(Fields.CAPTION_LOGITS, Fields.CAPTION_TARGETS)));

    private final ImageEncoder imageEncoder;
    private final int latents;
    private final int perceiverDepth;
    private final int perceiverHeads;
    private final boolean perceiverSelfAttention;
    private final int width;
    private final int depth;
    private final int heads;
    private final int hidden;
    private final boolean tied;
    private final List<String> inputs;

    /**
     * @param imageEncoder the image side
     * @param config resampler and decoder sizes
     * @throws IllegalArgumentException if a size is not positive, heads do not divide
     *     {@code decoder.width}, or the image encoder reads precomputed embeddings
     */
    @Activate
    public CaptionerRecipe(@Reference(name = "image", policyOption = ReferencePolicyOption.GREEDY,
            target = "(synthloom.name=" + TokenEmbedEncoder.NAME + ")") ImageEncoder imageEncoder,
            CaptionerConfig config) {
        this.imageEncoder = imageEncoder;
        this.latents = config.perceiver_latents();
        this.perceiverDepth = config.perceiver_depth();
        this.perceiverHeads = config.perceiver_heads();
        this.perceiverSelfAttention = config.perceiver_self_attention();
        this.width = config.decoder_width();
        this.depth = config.decoder_depth();
        this.heads = config.decoder_heads();
        this.tied = config.tied_embedding();
        Checks.positive(PID, "perceiver.latents", latents);
        Checks.positive(PID, "perceiver.depth", perceiverDepth);
        Checks.positive(PID, "decoder.depth", depth);
        Checks.heads(PID, "decoder.width", width, "perceiver.heads", perceiverHeads);
        Checks.heads(PID, "decoder.width", width, "decoder.heads", heads);
        this.hidden = Checks.mlpHidden(PID, width, config.mlp_ratio());
        this.inputs = List.of(Inputs.imageField(imageEncoder, NAME), Fields.TEXT_TOKENS, Fields.TEXT_MASK);
    }

    /** @return {@code [image_tokens or images, text_tokens, text_mask]} */
    @Override
    public List<String> inputs() {
        return inputs;
    }

    /** @return {@code caption_logits, caption_targets} */
    @Override
    public Set<String> outputs() {
        return OUTPUTS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the spec has no vocabulary or a context shorter than 2
     */
    @Override
    public Block newModel(DataSpec spec) {
        if (spec.vocabularySize() <= 0 || spec.contextLength() < 2) {
            throw new IllegalArgumentException(NAME + " needs the vocabulary size and a context length of at least 2 in"
                    + " the data spec, got " + spec.vocabularySize() + " and " + spec.contextLength());
        }
        PerceiverResampler resampler = new PerceiverResampler(imageEncoder.outputDim(), width, latents, perceiverDepth,
                perceiverHeads, hidden, perceiverSelfAttention);
        // The decoder reads the first T - 1 tokens, so T - 1 positions suffice.
        CaptionDecoder decoder = new CaptionDecoder(spec.vocabularySize(), spec.contextLength() - 1, width, depth, heads,
                hidden, tied);
        return new CaptionerBlock(imageEncoder.newBlock(spec), resampler, decoder, inputs, spec.vocabularySize());
    }
}
