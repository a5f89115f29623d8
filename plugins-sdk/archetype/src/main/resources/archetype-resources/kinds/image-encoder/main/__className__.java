package ${package};

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.ImageEncoder;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * The {@code ${pluginName}} image encoder: a 3x3 convolution with {@code width} filters, ReLU and
 * global average pooling, mapping {@code (B, C, H, W)} pixels to {@code (B, width)} features. A
 * recipe (e.g. {@code clip}) builds its image tower from it; replace the block with yours.
 */
@Component(service = ImageEncoder.class, configurationPid = ${className}.PID)
@SynthloomPlugin(kind = ImageEncoder.KIND, name = ${className}.NAME)
@Designate(ocd = ${className}Config.class)
public class ${className} implements ImageEncoder {

    /** The plugin's {@code synthloom.name}. */
    public static final String NAME = "${pluginName}";
    /** The configuration PID. */
    public static final String PID = "${package}.${pluginName}";

    private final int width;

    /**
     * @param config the configuration
     * @throws IllegalArgumentException if the width is out of range
     */
    @Activate
    public ${className}(${className}Config config) {
        if (config.width() < 1 || config.width() > 4096) {
            throw new IllegalArgumentException(PID + ": width must be in [1, 4096], got " + config.width());
        }
        this.width = config.width();
    }

    @Override
    public ImageSpace inputSpace() {
        return ImageSpace.PIXELS;
    }

    @Override
    public int outputDim() {
        return width;
    }

    @Override
    public Block newBlock(DataSpec spec) {
        if (spec.imageSize() <= 0) {
            throw new IllegalArgumentException(NAME + " needs images: the data spec has image size " + spec.imageSize());
        }
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(width).build())
                .add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock());
    }
}
