package org.synthloom.objectives.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Supervised objective",
        description = "Cross-entropy of a classifier's class logits against the dataset labels (the supervised baseline).")
@interface SupervisedConfig {

    @AttributeDefinition(name = "Label smoothing",
            description = "In [0, 1): the target puts this mass evenly over all classes, as PyTorch's "
                    + "cross_entropy(label_smoothing=...) does. 0 = plain cross-entropy.")
    double label_smoothing() default 0.0;
}
