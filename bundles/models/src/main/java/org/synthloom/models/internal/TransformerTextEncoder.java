package org.synthloom.models.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.TextEncoder;

import ai.djl.nn.Block;

/**
 * The {@code transformer-text} text encoder: a transformer over caption tokens, see
 * {@link TextTransformer} for the block's inputs ({@code text_tokens}, {@code text_mask}) and
 * output {@code (B, width)}. Its defaults are the text tower of the clip-tiny benchmark (width
 * 192, depth 4, 3 heads, MLP ratio 4, causal, last-token pooling).
 */
@Component(service = TextEncoder.class, configurationPid = TransformerTextEncoder.PID)
@SynthloomPlugin(kind = TextEncoder.KIND, name = TransformerTextEncoder.NAME)
@Designate(ocd = TransformerTextConfig.class)
public class TransformerTextEncoder implements TextEncoder {

    static final String NAME = "transformer-text";
    static final String PID = "org.synthloom.models.transformertext";

    private final int width;
    private final int depth;
    private final int heads;
    private final int hidden;
    private final boolean causal;
    private final TextPooling pooling;

    /**
     * @param config the architecture
     * @throws IllegalArgumentException if a size is not positive, the heads do not divide the
     *     width, or the pooling is unknown
     */
    @Activate
    public TransformerTextEncoder(TransformerTextConfig config) {
        this.width = config.width();
        this.depth = config.depth();
        this.heads = config.heads();
        Checks.positive(PID, "depth", depth);
        Checks.heads(PID, "width", width, "heads", heads);
        this.hidden = Checks.mlpHidden(PID, width, config.mlp_ratio());
        this.causal = config.causal();
        this.pooling = Checks.option(PID, "pool", config.pool(), TextPooling.class);
    }

    @Override
    public int outputDim() {
        return width;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the spec has no vocabulary or no context length (the
     *     number of learned positions)
     */
    @Override
    public Block newBlock(DataSpec spec) {
        if (spec.vocabularySize() <= 0 || spec.contextLength() <= 0) {
            throw new IllegalArgumentException(NAME + " needs the vocabulary size and context length in the data spec, got "
                    + spec.vocabularySize() + " and " + spec.contextLength());
        }
        return new TextTransformer(spec.vocabularySize(), spec.contextLength(), width, depth, heads, hidden, causal,
                pooling);
    }
}
