package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link ${className}}, PID {@code ${package}.${pluginName}}. */
@ObjectClassDefinition(name = "${pluginName} dataset", description = "Solid-colour squares captioned with their colour.")
public @interface ${className}Config {

    /** @return samples in the train split */
    @AttributeDefinition(name = "Train size", description = "Samples in the train split, 1 to 1000000.")
    int train_size() default 200;

    /** @return samples in the test split */
    @AttributeDefinition(name = "Test size", description = "Samples in the test split, 1 to 1000000.")
    int test_size() default 50;

    /** @return the side of the square images */
    @AttributeDefinition(name = "Image size", description = "Side of the square RGB images in pixels, 4 to 512.")
    int image_size() default 16;
}
