package org.synthloom.datasets.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fashion-MNIST dataset",
        description = "Zalando's Fashion-MNIST (28x28 grey, 10 classes) from the idx files fetched by"
                + " './synthloom data'; captions from templates over the class names.")
@interface FashionMnistConfig {

    @AttributeDefinition(name = "Path", description = "The folder holding train-images-idx3-ubyte.gz,"
            + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz, absolute or"
            + " relative to the data directory.")
    String path() default FashionMnistDataset.DEFAULT_PATH;

    @AttributeDefinition(name = "Caption templates", description = "One caption per template; '{}' becomes the"
            + " class name (e.g. 'ankle boot', 't-shirt or top').")
    String[] captions() default {"a photo of a {}", "a picture of a {}", "a {}"};
}
