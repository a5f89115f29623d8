package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link ${className}}, PID {@code ${package}.${pluginName}}. */
@ObjectClassDefinition(name = "${pluginName} evaluator", description = "In-batch image-to-text top-1 accuracy.")
public @interface ${className}Config {

    /** @return the split evaluated */
    @AttributeDefinition(name = "Split", description = "The evaluation split to read.")
    String split() default "test";

    /** @return samples per batch */
    @AttributeDefinition(name = "Batch size", description = "Samples per batch; each image is matched against the texts of its batch (2 to 4096).")
    int batch_size() default 32;

    /** @return samples evaluated at most */
    @AttributeDefinition(name = "Limit", description = "Samples evaluated at most (1 or more).")
    int limit() default 1000;
}
