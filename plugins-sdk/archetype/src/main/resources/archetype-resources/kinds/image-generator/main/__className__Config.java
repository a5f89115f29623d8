package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link ${className}}, PID {@code ${package}.${pluginName}}. */
@ObjectClassDefinition(name = "${pluginName} images", description = "Paints a noisy colour field per caption.")
public @interface ${className}Config {

    /** @return the side of the square images */
    @AttributeDefinition(name = "Image size", description = "Side of the square RGB images in pixels, 4 to 512.")
    int image_size() default 32;
}
