package org.synthloom.models.internal;

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
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The {@code cnn} image encoder: a small convolutional network for images of 16 to 64 pixels.
 *
 * <p>Block input: one float32 array {@code (B, C, H, W)} with {@code H, W >= 16}; output: one
 * array {@code (B, width)}. Each stage is Conv2d 3x3 (padding 1, no bias: BatchNorm follows),
 * BatchNorm and ReLU; stages after the first use stride 2. Global average pooling makes the
 * output independent of the image size.
 */
@Component(service = ImageEncoder.class, configurationPid = CnnImageEncoder.PID)
@SynthloomPlugin(kind = ImageEncoder.KIND, name = CnnImageEncoder.NAME)
@Designate(ocd = CnnImageConfig.class)
public class CnnImageEncoder implements ImageEncoder {

    static final String NAME = "cnn";
    static final String PID = "org.synthloom.models.cnn";

    private final int[] widths;
    private final int width;

    /**
     * @param config stage widths and output width
     * @throws IllegalArgumentException if a width is not positive or there is no stage
     */
    @Activate
    public CnnImageEncoder(CnnImageConfig config) {
        this.widths = config.widths().clone();
        this.width = config.width();
        if (widths.length == 0) {
            throw new IllegalArgumentException(PID + ": widths must name at least one stage");
        }
        for (int w : widths) {
            Checks.positive(PID, "widths", w);
        }
        Checks.positive(PID, "width", width);
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
        SequentialBlock block = new SequentialBlock();
        for (int stage = 0; stage < widths.length; stage++) {
            int stride = stage == 0 ? 1 : 2;
            // DJL's convolution, not Convolutions': the one stride-1 stage reads the pixels, whose
            // gradient (the one oneDNN may get wrong at odd widths) is never used.
            block.add(Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optStride(new Shape(stride, stride))
                            .optPadding(new Shape(1, 1))
                            .setFilters(widths[stage])
                            .optBias(false)
                            .build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
        }
        return block.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(width).build());
    }
}
