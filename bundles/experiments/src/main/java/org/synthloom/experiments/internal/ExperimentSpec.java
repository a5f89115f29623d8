package org.synthloom.experiments.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment's configuration, checked: every problem found is listed, so a configuration that
 * cannot run says all that is wrong with it at once.
 */
record ExperimentSpec(String name, String description, String pipeline, List<Variant> variants, List<Long> seeds,
        List<String> metrics, boolean keepPipelines, boolean reuseFinishedRuns, List<String> problems) {

    static ExperimentSpec of(ExperimentConfig c, Map<String, Object> properties) {
        List<String> problems = new ArrayList<>();
        String pid = String.valueOf(properties.getOrDefault("service.pid", ""));
        int tilde = pid.indexOf('~');
        String name = !c.name().isBlank() ? c.name().trim() : tilde >= 0 ? pid.substring(tilde + 1) : pid;
        if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            problems.add("name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        String pipeline = c.pipeline() == null ? "" : c.pipeline().trim();
        if (pipeline.isEmpty()) {
            problems.add("pipeline names no pipeline");
        }
        List<Variant> variants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String v : c.variants() == null ? new String[0] : c.variants()) {
            try {
                Variant variant = Variant.parse(v);
                if (!names.add(variant.name())) {
                    problems.add("variant '" + variant.name() + "' is listed twice");
                }
                variants.add(variant);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (variants.isEmpty() && problems.isEmpty()) {
            problems.add("variants lists no variant");
        }
        List<Long> seeds = Arrays.stream(c.seeds()).boxed().distinct().toList();
        if (seeds.isEmpty()) {
            problems.add("seeds lists no seed");
        }
        return new ExperimentSpec(name, c.description(), pipeline, List.copyOf(variants), seeds,
                Arrays.stream(c.metrics()).map(String::trim).filter(m -> !m.isEmpty()).toList(), c.keep_pipelines(),
                c.reuse_finished_runs(), List.copyOf(problems));
    }
}
