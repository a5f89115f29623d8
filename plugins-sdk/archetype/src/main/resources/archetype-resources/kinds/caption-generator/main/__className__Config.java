package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link ${className}}, PID {@code ${package}.${pluginName}}. */
@ObjectClassDefinition(name = "${pluginName} captions", description = "Captions a concept with a phrase drawn from a list.")
public @interface ${className}Config {

    /** @return the phrases a caption starts with */
    @AttributeDefinition(name = "Phrases", description = "A caption is one of these phrases, then the concept.")
    String[] phrases() default {"a photo of a", "a picture of a", "an image of a", "a drawing of a", "a close-up of a"};
}
