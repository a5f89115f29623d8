package org.synthloom.evaluators.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Linear probe evaluator",
        description = "L2-regularised softmax regression on frozen image embeddings of the training split; "
                + "top-1 accuracy on the evaluation split.")
@interface LinearProbeConfig {

    @AttributeDefinition(name = "Split", description = "The split the probe is evaluated on.")
    String split() default "test";

    @AttributeDefinition(name = "Training split", description = "The split the probe is fitted on.")
    String train_split() default "train";

    @AttributeDefinition(name = "Max training samples",
            description = "At most this many labelled samples of the training split are embedded.")
    int max_train_samples() default 5000;

    @AttributeDefinition(name = "Max samples",
            description = "At most this many labelled samples of the evaluation split are classified.")
    int max_samples() default 1000;

    @AttributeDefinition(name = "Iterations", description = "Full-batch Adam steps of the fit.")
    int iterations() default 300;

    @AttributeDefinition(name = "Learning rate", description = "Adam's step size.")
    double learning_rate() default 0.1;

    @AttributeDefinition(name = "L2", description = "Weight of the penalty (l2 / 2) * sum(W^2) on the weights (not the biases).")
    double l2() default 1e-3;

    @AttributeDefinition(name = "Batch size", description = "Samples per forward pass when embedding.")
    int batch_size() default 64;
}
