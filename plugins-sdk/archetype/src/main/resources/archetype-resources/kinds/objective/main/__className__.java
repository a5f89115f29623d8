package ${package};

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The {@code ${pluginName}} objective: image-to-text InfoNCE at a fixed temperature. With
 * {@code logits = I T^T / temperature}, the loss is the cross-entropy of each row against its own
 * text (the diagonal). Reads the outputs {@code image_embeds} and {@code text_embeds}
 * {@code (B, D)}; metric {@code i2t_accuracy} (in-batch top-1, detached).
 */
@Component(service = Objective.class, configurationPid = ${className}.PID)
@SynthloomPlugin(kind = Objective.KIND, name = ${className}.NAME)
@Designate(ocd = ${className}Config.class)
public class ${className} implements Objective {

    /** The plugin's {@code synthloom.name}. */
    public static final String NAME = "${pluginName}";
    /** The configuration PID. */
    public static final String PID = "${package}.${pluginName}";

    private final float temperature;

    /**
     * @param config the configuration
     * @throws IllegalArgumentException if the temperature is out of range
     */
    @Activate
    public ${className}(${className}Config config) {
        if (!(config.temperature() > 0 && config.temperature() <= 10)) {
            throw new IllegalArgumentException(PID + ": temperature must be in (0, 10], got " + config.temperature());
        }
        this.temperature = (float) config.temperature();
    }

    @Override
    public Set<String> requires() {
        return Set.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS);
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray images = require(outputs, Fields.IMAGE_EMBEDS);
        NDArray texts = require(outputs, Fields.TEXT_EMBEDS);
        if (!images.getShape().equals(texts.getShape()) || images.getShape().dimension() != 2) {
            throw new IllegalArgumentException(NAME + " needs image_embeds and text_embeds of one shape (B, D), got "
                    + images.getShape() + " and " + texts.getShape());
        }
        NDArray logits = images.matMul(texts.transpose()).div(Scalars.like(images, temperature)); // not div(temperature): see Scalars
        NDArray loss = logits.logSoftmax(1).diagonal().mean().neg();
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        NDArray detached = logits.stopGradient();
        NDArray targets = detached.getManager().arange(0, (int) detached.getShape().get(0), 1, DataType.INT64);
        metrics.put("i2t_accuracy", detached.argMax(1).toType(DataType.INT64, false).eq(targets)
                .toType(DataType.FLOAT32, false).mean());
        return new LossOutput(loss, metrics);
    }

    private static NDArray require(NDList outputs, String name) {
        NDArray array = outputs.get(name);
        if (array == null) {
            throw new IllegalArgumentException(NAME + " needs the model output '" + name + "', which is missing");
        }
        return array;
    }
}
