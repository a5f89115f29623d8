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
 * The {@code vit} image encoder: a Vision Transformer over pixels, see {@link VisionTransformer}
 * for the block. Its defaults are the image tower of the clip-tiny benchmark (patch 8, width 192,
 * depth 4, 3 heads, MLP ratio 4, class-token pooling).
 */
@Component(service = ImageEncoder.class, configurationPid = VitEncoder.PID)
@SynthloomPlugin(kind = ImageEncoder.KIND, name = VitEncoder.NAME)
@Designate(ocd = VitConfig.class)
public class VitEncoder implements ImageEncoder {

    static final String NAME = "vit";
    static final String PID = "org.synthloom.models.vit";

    private final int patch;
    private final int width;
    private final int depth;
    private final int heads;
    private final int hidden;
    private final ImagePooling pooling;
    private final boolean classToken;

    /**
     * @param config the architecture
     * @throws IllegalArgumentException if a size is not positive, the heads do not divide the
     *     width, the pooling is unknown, or {@code pool = cls} without a class token
     */
    @Activate
    public VitEncoder(VitConfig config) {
        this.patch = config.patch();
        this.width = config.width();
        this.depth = config.depth();
        this.heads = config.heads();
        Checks.positive(PID, "patch", patch);
        Checks.positive(PID, "depth", depth);
        Checks.heads(PID, "width", width, "heads", heads);
        this.hidden = Checks.mlpHidden(PID, width, config.mlp_ratio());
        this.pooling = Checks.option(PID, "pool", config.pool(), ImagePooling.class);
        this.classToken = config.class_token();
        if (pooling == ImagePooling.CLS && !classToken) {
            throw new IllegalArgumentException(PID + ": pool = cls needs class.token = true");
        }
    }

    @Override
    public ImageSpace inputSpace() {
        return ImageSpace.PIXELS;
    }

    @Override
    public int outputDim() {
        return width;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the spec has no image size, or it is not a multiple of the patch
     */
    @Override
    public Block newBlock(DataSpec spec) {
        int size = spec.imageSize();
        if (size <= 0 || spec.channels() <= 0) {
            throw new IllegalArgumentException(NAME + " needs the image size and channels in the data spec, got size "
                    + size + ", channels " + spec.channels());
        }
        if (size % patch != 0) {
            throw new IllegalArgumentException(PID + ": the image size " + size + " is not a multiple of patch = " + patch);
        }
        return new VisionTransformer(size, spec.channels(), patch, width, depth, heads, hidden, classToken, pooling);
    }
}
