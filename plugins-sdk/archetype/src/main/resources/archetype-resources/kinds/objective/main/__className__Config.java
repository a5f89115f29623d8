package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link ${className}}, PID {@code ${package}.${pluginName}}. */
@ObjectClassDefinition(name = "${pluginName} objective", description = "Image-to-text InfoNCE at a fixed temperature.")
public @interface ${className}Config {

    /** @return the softmax temperature */
    @AttributeDefinition(name = "Temperature", description = "Divides the cosine similarities before the softmax; in (0, 10].")
    double temperature() default 0.07;
}
