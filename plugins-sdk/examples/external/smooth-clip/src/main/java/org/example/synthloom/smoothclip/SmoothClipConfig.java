package org.example.synthloom.smoothclip;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link SmoothClipObjective}, PID {@code org.example.synthloom.smoothclip}. */
@ObjectClassDefinition(name = "Label-smoothed CLIP loss", description = "Symmetric InfoNCE with label smoothing.")
public @interface SmoothClipConfig {

    /** @return the label smoothing */
    @AttributeDefinition(name = "Smoothing", description = "Share of each row's target spread evenly over the batch, in [0, 1). 0 is CLIP's loss.")
    double smoothing() default 0.1;
}
