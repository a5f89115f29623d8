package org.synthloom.datasets.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Image folder importer",
        description = "Images with same-name .txt caption files (photo.jpg + photo.txt, one caption per line)."
                + " Sub-folders named train, val, validation, valid, dev or test become splits. One configuration"
                + " per folder; set synthloom.name to name the dataset.")
@interface FolderConfig {

    @AttributeDefinition(name = "Name", required = false,
            description = "The dataset's synthloom.name, by which pipelines select it; default 'folder'.")
    String synthloom_name();

    @AttributeDefinition(name = "Path", description = "The folder, absolute or relative to the data directory.")
    String path();

    @AttributeDefinition(name = "Recursive", description = "Also read the images of sub-folders.")
    boolean recursive() default true;

    @AttributeDefinition(name = "Labels from directories",
            description = "Label each image with the name of the folder it is in (ImageNet-style class folders).")
    boolean labels_from_directory() default false;
}
