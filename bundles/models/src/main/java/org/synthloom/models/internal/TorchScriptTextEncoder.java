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
import org.synthloom.api.model.DataSpec;
import org.synthloom.djl.DeviceService;
import org.synthloom.api.model.TextEncoder;

import ai.djl.nn.Block;

/**
 * The {@code torchscript-text} text encoder: a pretrained TorchScript module from a local file whose
 * {@code forward(tokens, mask)} takes the text encoders' input, token ids and the padding mask
 * (both handed over as int64 {@code (B, T)}), and returns {@code (B, output.dim)}; fine-tuned or
 * frozen ({@code trainable}). See {@link TorchScriptBlock}. The module must have been made for the
 * tokenizer the pipeline uses: nothing here can check that its embedding matches the vocabulary.
 * Only a configured component exists; the file is read by {@link #newBlock}, not at activation.
 */
@Component(service = TextEncoder.class, configurationPid = TorchScriptTextEncoder.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@SynthloomPlugin(kind = TextEncoder.KIND, name = TorchScriptTextEncoder.NAME)
@Designate(ocd = TorchScriptTextConfig.class)
public class TorchScriptTextEncoder implements TextEncoder {

    static final String NAME = "torchscript-text";
    static final String PID = "org.synthloom.models.torchscripttext";

    private final TorchScriptSource source;

    /**
     * @param context resolves the Synthloom home
     * @param config the module file, its output width, whether it trains
     * @param devices the DJL runtime: the modules are loaded on its default device
     * @throws IllegalArgumentException if the path is blank or output.dim is not positive
     */
    @Activate
    public TorchScriptTextEncoder(BundleContext context, TorchScriptTextConfig config,
            @Reference(name = "devices", policy = ReferencePolicy.STATIC) DeviceService devices) {
        this(Home.of(context), config, devices);
    }

    TorchScriptTextEncoder(Path home, TorchScriptTextConfig config, DeviceService devices) {
        this.source = TorchScriptSource.of(PID, home, config.path(), config.output_dim(), config.trainable(), devices);
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
        return source.newBlock(true);
    }
}
