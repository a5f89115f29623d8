package org.synthloom.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Synthloom run store",
        description = "Where runs, their events and metrics, and all artifacts are kept.")
@interface RunStoreConfig {

    @AttributeDefinition(name = "Data directory",
            description = "Holds the run database (store/), artifacts (artifacts/), runs/ and datasets/. "
                    + "A relative path is resolved against the Synthloom home: the framework property synthloom.home, "
                    + "or else the working directory.")
    String data_dir() default "data";
}
