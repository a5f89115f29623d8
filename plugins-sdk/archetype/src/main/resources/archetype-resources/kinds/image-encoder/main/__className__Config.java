package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link ${className}}, PID {@code ${package}.${pluginName}}. */
@ObjectClassDefinition(name = "${pluginName} image encoder", description = "One convolution, ReLU, global average pooling.")
public @interface ${className}Config {

    /** @return the feature width */
    @AttributeDefinition(name = "Width", description = "Filters of the convolution, which is the width of the features (1 to 4096).")
    int width() default 32;
}
