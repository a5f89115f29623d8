package org.synthloom.objectives.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Multi-positive contrastive objective",
        description = "SynCLR/StableRep multi-positive contrastive loss: every text of the image's caption group is a positive.")
@interface MultiPositiveConfig {

    @AttributeDefinition(name = "Symmetric",
            description = "Also the text-to-image direction, averaged with image-to-text (default: image-to-text only, as SynCLR).")
    boolean symmetric() default false;
}
