package org.synthloom.experiments.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * An experiment: a base pipeline, the variants that change some of its settings, and the seeds.
 * One factory configuration per experiment; the JSON files in runtime-config are the examples.
 */
@ObjectClassDefinition(name = "Synthloom experiment", description = "Runs every variant of a pipeline with every seed and "
        + "tabulates the results (mean and spread per variant and metric).")
@interface ExperimentConfig {

    @AttributeDefinition(name = "Name", description = "The experiment's name; empty takes the configuration's name.")
    String name() default "";

    @AttributeDefinition(name = "Description")
    String description() default "";

    @AttributeDefinition(name = "Pipeline", description = "The name of the pipeline whose configuration the variants change.")
    String pipeline();

    @AttributeDefinition(name = "Variants", description = "One entry per variant: \"name: key=value; key=value\" with "
            + "pipeline property names, e.g. \"human-250: human.limit=250; captions.per.concept=0\". A list value is "
            + "written [a, b].")
    String[] variants();

    @AttributeDefinition(name = "Seeds", description = "Every variant runs once per seed (the pipeline's seed).")
    long[] seeds() default {1, 2, 3};

    @AttributeDefinition(name = "Metrics", description = "The metrics to tabulate; empty takes every evaluation metric.")
    String[] metrics() default {};

    @AttributeDefinition(name = "Keep pipelines", description = "Keep the generated pipeline configurations after the "
            + "experiment (they are removed by default; their runs stay in the run store).")
    boolean keep_pipelines() default false;

    @AttributeDefinition(name = "Reuse finished runs", description = "Take a finished run of the same pipeline "
            + "configuration as it is. False starts every run again: its completed stages are still reused from the "
            + "artifacts, so only what changed is computed, e.g. the evaluation after an evaluator gained a metric.")
    boolean reuse_finished_runs() default true;
}
