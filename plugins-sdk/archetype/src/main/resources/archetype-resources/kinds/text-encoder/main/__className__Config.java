package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link ${className}}, PID {@code ${package}.${pluginName}}. */
@ObjectClassDefinition(name = "${pluginName} text encoder", description = "Token embeddings averaged over the caption.")
public @interface ${className}Config {

    /** @return the feature width */
    @AttributeDefinition(name = "Width", description = "Width of the token embeddings and of the features (1 to 4096).")
    int width() default 32;
}
