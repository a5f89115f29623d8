package org.synthloom.objectives.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Captioning objective",
        description = "Next-token cross-entropy of a caption decoder, averaged over the positions that have a target.")
@interface CaptionConfig {

    @AttributeDefinition(name = "Label smoothing",
            description = "In [0, 1): the target puts this mass evenly over the whole vocabulary, as PyTorch's "
                    + "cross_entropy(label_smoothing=...) does. 0 = plain cross-entropy.")
    double label_smoothing() default 0.0;
}
