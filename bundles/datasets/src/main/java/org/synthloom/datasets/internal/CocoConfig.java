package org.synthloom.datasets.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "COCO captions importer",
        description = "Images and captions from a COCO captions JSON file (captions_train2017.json and the like),"
                + " one sample per image with all its captions. One configuration per annotation file; set"
                + " synthloom.name to name the dataset.")
@interface CocoConfig {

    @AttributeDefinition(name = "Name", required = false,
            description = "The dataset's synthloom.name, by which pipelines select it; default 'coco'.")
    String synthloom_name();

    @AttributeDefinition(name = "Annotations", description = "The captions JSON file, absolute or relative to the"
            + " data directory.")
    String annotations();

    @AttributeDefinition(name = "Images", required = false, description = "The folder the images' file_name are"
            + " relative to (absolute, or relative to the data directory); empty means the JSON file's folder.")
    String images() default "";

    @AttributeDefinition(name = "Split", description = "The name of the split the file makes.")
    String split() default "train";
}
