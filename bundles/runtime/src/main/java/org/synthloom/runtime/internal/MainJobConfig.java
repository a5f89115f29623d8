package org.synthloom.runtime.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Synthloom command line",
        description = "What the runtime does when started without options.")
@interface MainJobConfig {

    @AttributeDefinition(name = "Default pipeline",
            description = "The pipeline run at start when no --pipeline option is given; empty runs none.")
    String default_pipeline() default "shapes-clip";

    @AttributeDefinition(name = "Pipeline wait (s)",
            description = "How long to wait at start for the chosen pipeline's service to appear.")
    int pipeline_wait_seconds() default 30;
}
