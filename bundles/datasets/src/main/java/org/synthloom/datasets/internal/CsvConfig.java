package org.synthloom.datasets.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "CSV/TSV importer",
        description = "Image-caption pairs listed in a CSV or TSV file with a header row, as OpenCLIP reads them"
                + " (--csv-img-key filepath --csv-caption-key title --csv-separator \"\\t\"). One configuration per"
                + " file; set synthloom.name to name the dataset.")
@interface CsvConfig {

    @AttributeDefinition(name = "Name", required = false,
            description = "The dataset's synthloom.name, by which pipelines select it; default 'csv'.")
    String synthloom_name();

    @AttributeDefinition(name = "Path", description = "The CSV/TSV file, absolute or relative to the data directory.")
    String path();

    // The default is the two characters backslash-t, not a tab: a tab in a component or metatype XML
    // attribute is normalised to a space by the XML parser.
    @AttributeDefinition(name = "Separator", description = "The field separator: '\\t' (a tab, the default; also"
            + " 'tab'), ',' ('comma'), ';' ('semicolon') or '|' ('pipe'). Fields may be quoted RFC 4180 style.")
    String separator() default "\\t";

    @AttributeDefinition(name = "Image column", description = "The column holding image paths, relative to the"
            + " images base.")
    String image_column() default "filepath";

    @AttributeDefinition(name = "Caption column")
    String caption_column() default "title";

    @AttributeDefinition(name = "Label column", required = false, description = "A column of class names; empty"
            + " for none.")
    String label_column() default "";

    @AttributeDefinition(name = "Split column", required = false, description = "A column whose values name the"
            + " rows' splits; empty puts every row in the split 'train'.")
    String split_column() default "";

    @AttributeDefinition(name = "Images base", required = false, description = "The folder image paths are"
            + " relative to (absolute, or relative to the data directory); empty means the CSV file's folder."
            + " Image paths that leave it are refused.")
    String images_base() default "";
}
