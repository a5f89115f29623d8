package org.synthloom.datasets.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "WebDataset importer",
        description = "Samples from WebDataset tar shards (img2dataset's, OpenCLIP's, Synthloom's own), read in"
                + " shard order. One configuration per dataset; set synthloom.name to name it.")
@interface WebDatasetConfig {

    @AttributeDefinition(name = "Name", required = false, description = "The dataset's synthloom.name, by which"
            + " pipelines select it; also the provenance of samples whose shards do not say. Default 'webdataset'.")
    String synthloom_name();

    @AttributeDefinition(name = "Splits", description = "'name=pattern' entries, e.g."
            + " 'train=datasets/laion/{00000..00009}.tar' or 'val=datasets/laion/val-*.tar'. Patterns are absolute or"
            + " relative to the data directory; the file name may use {a..b} ranges, {x,y} alternatives, * and ?."
            + " Several entries with one name add up.")
    String[] splits();
}
