package org.synthloom.models.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.ImageSpace;
import org.synthloom.api.model.DataSpec;
import org.synthloom.djl.DeviceService;
import org.synthloom.api.model.ImageEncoder;

import ai.djl.nn.Block;

/**
 * The {@code torchscript} image encoder: a pretrained TorchScript module from a local file, fine-tuned
 * or frozen ({@code trainable}); see {@link TorchScriptBlock} for the block. Only a configured
 * component exists (there is no sensible default file); factory configurations
 * ({@code org.synthloom.models.torchscript-<name>.json}) make several.
 *
 * <p>The file is read by {@link #newBlock}, not at activation: the component can be configured
 * before the file exists, and each model gets its own copy of the weights.
 */
@Component(service = ImageEncoder.class, configurationPid = TorchScriptEncoder.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@SynthloomPlugin(kind = ImageEncoder.KIND, name = TorchScriptEncoder.NAME)
@Designate(ocd = TorchScriptConfig.class)
public class TorchScriptEncoder implements ImageEncoder {

    static final String NAME = "torchscript";
    static final String PID = "org.synthloom.models.torchscript";

    private final TorchScriptSource source;

    /**
     * @param context resolves the Synthloom home
     * @param config the module file, its output width, whether it trains
     * @param devices the DJL runtime: the modules are loaded on its default device
     * @throws IllegalArgumentException if the path is blank, output.dim is not positive or the input space is not pixels
     */
    @Activate
    public TorchScriptEncoder(BundleContext context, TorchScriptConfig config,
            @Reference(name = "devices", policy = ReferencePolicy.STATIC) DeviceService devices) {
        this(Home.of(context), config, devices);
    }

    TorchScriptEncoder(Path home, TorchScriptConfig config, DeviceService devices) {
        this.source = TorchScriptSource.of(PID, home, config.path(), config.output_dim(), config.trainable(), devices);
        if (Checks.option(PID, "input.space", config.input_space(), ImageSpace.class) != ImageSpace.PIXELS) {
            throw new IllegalArgumentException(PID + ": input.space must be pixels (a TorchScript module over VQ tokens"
                    + " or embeddings is not supported), got '" + config.input_space() + "'");
        }
    }

    @Override
    public ImageSpace inputSpace() {
        return ImageSpace.PIXELS;
    }

    @Override
    public int outputDim() {
        return source.outputDim();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the PID and the file if it is missing or not a TorchScript module
     */
    @Override
    public Block newBlock(DataSpec spec) {
        return source.newBlock(false);
    }
}
