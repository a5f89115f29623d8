package org.synthloom.models.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.ImageEncoder;

import ai.djl.nn.Block;

/**
 * The {@code token-embed} image encoder: reads images as VQ token grids ({@code image_tokens}) and
 * embeds them, see {@link TokenGridEmbedding}. The codebook size and grid side come from the
 * {@link DataSpec}.
 */
@Component(service = ImageEncoder.class, configurationPid = TokenEmbedEncoder.PID)
@SynthloomPlugin(kind = ImageEncoder.KIND, name = TokenEmbedEncoder.NAME)
@Designate(ocd = TokenEmbedConfig.class)
public class TokenEmbedEncoder implements ImageEncoder {

    static final String NAME = "token-embed";
    static final String PID = "org.synthloom.models.tokenembed";

    private final int width;
    private final boolean pooled;

    /**
     * @param config width and pooling
     * @throws IllegalArgumentException if the width is not positive or the pooling is not none or mean
     */
    @Activate
    public TokenEmbedEncoder(TokenEmbedConfig config) {
        this.width = config.width();
        Checks.positive(PID, "width", width);
        ImagePooling pooling = Checks.option(PID, "pool", config.pool(), ImagePooling.class);
        if (pooling == ImagePooling.CLS) {
            throw new IllegalArgumentException(PID + ": pool must be none or mean (there is no class token), got 'cls'");
        }
        this.pooled = pooling == ImagePooling.MEAN;
    }

    @Override
    public ImageSpace inputSpace() {
        return ImageSpace.TOKENS;
    }

    @Override
    public int outputDim() {
        return width;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the spec has no token grid or codebook
     */
    @Override
    public Block newBlock(DataSpec spec) {
        if (spec.tokenGridSize() <= 0 || spec.codebookSize() <= 0) {
            throw new IllegalArgumentException(NAME + " needs the token grid size and codebook size in the data spec, got "
                    + spec.tokenGridSize() + " and " + spec.codebookSize());
        }
        return new TokenGridEmbedding(spec.codebookSize(), spec.tokenGridSize(), width, pooled);
    }
}
