package org.synthloom.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a Declarative Services component as a Synthloom plugin: it adds the service
 * properties {@value Plugins#KIND} and {@value Plugins#NAME} to the component.
 *
 * <pre>{@code
 * @Component(service = CaptionGenerator.class)
 * @SynthloomPlugin(kind = CaptionGenerator.KIND, name = "class-prompt")
 * public class ClassPromptCaptions implements CaptionGenerator { ... }
 * }</pre>
 *
 * @see Plugins#filter(String, String)
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SynthloomPlugin {

    /** Prefix of the generated service properties. */
    String PREFIX_ = "synthloom.";

    /**
     * The kind of plugin: one of the {@code KIND} constants of the SPI interfaces.
     *
     * @return the kind, mapped to {@value Plugins#KIND}
     */
    String kind();

    /**
     * The plugin's name, unique among plugins of the same kind.
     *
     * @return the name, mapped to {@value Plugins#NAME}
     */
    String name();
}
