package org.synthloom.djl.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Synthloom DJL runtime",
        description = "Loads the PyTorch engine offline and chooses the default compute device.")
@interface TorchRuntimeConfig {

    @AttributeDefinition(name = "Default device",
            description = "auto (a GPU when CUDA is present, else the CPU), cpu, gpu or gpu:N.")
    String device() default "auto";

    @AttributeDefinition(name = "Intra-op threads",
            description = "Threads PyTorch uses inside one operator; 0 keeps PyTorch's default (one per core). "
                    + "Read once, when the engine first loads in this JVM.")
    int intraop_threads() default 0;

    @AttributeDefinition(name = "Inter-op threads",
            description = "Threads PyTorch uses to run independent operators; 0 keeps PyTorch's default. "
                    + "Read once, when the engine first loads in this JVM.")
    int interop_threads() default 0;
}
