package org.synthloom.example.hello;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Hello trainer",
        description = "Fits y = sin(3 x0) / 2 + x1^2 with a small MLP: DJL training inside the runtime, in seconds.")
@interface HelloConfig {

    @AttributeDefinition(name = "Steps", description = "Optimizer steps; each draws a fresh batch.")
    int steps() default 200;

    @AttributeDefinition(name = "Batch size")
    int batch_size() default 64;

    @AttributeDefinition(name = "Hidden units", description = "Width of the two hidden layers.")
    int hidden_units() default 32;

    @AttributeDefinition(name = "Learning rate", description = "Adam's learning rate.")
    float learning_rate() default 0.01f;

    @AttributeDefinition(name = "Seed", description = "Seeds the data and the weight initialisation.")
    long seed() default 42;

    @AttributeDefinition(name = "Device", description = "auto, cpu, gpu or gpu:N.")
    String device() default "auto";

    @AttributeDefinition(name = "Report every", description = "Steps between loss reports.")
    int report_every() default 10;
}
