package org.synthloom.models.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.TextEncoder;

import ai.djl.nn.Block;

/**
 * The {@code cnn-text} text encoder: a convolutional caption encoder, see {@link TextCnnBlock} for
 * the block's inputs ({@code text_tokens}, {@code text_mask}) and output {@code (B, width)}.
 */
@Component(service = TextEncoder.class, configurationPid = CnnTextEncoder.PID)
@SynthloomPlugin(kind = TextEncoder.KIND, name = CnnTextEncoder.NAME)
@Designate(ocd = CnnTextConfig.class)
public class CnnTextEncoder implements TextEncoder {

    static final String NAME = "cnn-text";
    static final String PID = "org.synthloom.models.cnntext";

    private final int embeddingDim;
    private final int convWidth;
    private final int width;

    /**
     * @param config the widths
     * @throws IllegalArgumentException if a width is not positive
     */
    @Activate
    public CnnTextEncoder(CnnTextConfig config) {
        this.embeddingDim = config.embedding_dim();
        this.convWidth = config.conv_width();
        this.width = config.width();
        Checks.positive(PID, "embedding.dim", embeddingDim);
        Checks.positive(PID, "conv.width", convWidth);
        Checks.positive(PID, "width", width);
    }

    @Override
    public int outputDim() {
        return width;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the spec has no vocabulary
     */
    @Override
    public Block newBlock(DataSpec spec) {
        if (spec.vocabularySize() <= 0) {
            throw new IllegalArgumentException(NAME + " needs the vocabulary size in the data spec");
        }
        return new TextCnnBlock(spec.vocabularySize(), embeddingDim, convWidth, width);
    }
}
