package ${package};

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.DataSpec;
import org.synthloom.api.model.TextEncoder;

import ai.djl.nn.Block;

/**
 * The {@code ${pluginName}} text encoder: a learnt embedding per token id, averaged over the
 * caption's real tokens ({@code text_mask}), mapping {@code (B, T)} ids to {@code (B, width)}
 * features. Replace {@link MeanEmbeddingBlock} with yours.
 */
@Component(service = TextEncoder.class, configurationPid = ${className}.PID)
@SynthloomPlugin(kind = TextEncoder.KIND, name = ${className}.NAME)
@Designate(ocd = ${className}Config.class)
public class ${className} implements TextEncoder {

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
    public int outputDim() {
        return width;
    }

    @Override
    public Block newBlock(DataSpec spec) {
        if (spec.vocabularySize() <= 0) {
            throw new IllegalArgumentException(NAME + " needs a vocabulary: the data spec has vocabulary size " + spec.vocabularySize());
        }
        return new MeanEmbeddingBlock(spec.vocabularySize(), width);
    }
}
