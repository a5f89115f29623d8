package org.synthloom.shapes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Shapes renderer",
        description = "The shapes world's oracle text-to-image generator: draws the scene a caption describes.")
@interface ShapesRendererConfig {

    @AttributeDefinition(name = "Image size", description = "Side of the square RGB images in pixels, 8 to 1024.")
    int image_size() default 64;
}
