package org.synthloom.experiments.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The results of an experiment: per variant and metric, the value of each seed's run, their mean
 * and spread (sample standard deviation), written as Markdown, CSV and JSON, with a bar chart per
 * metric. Variants and metrics keep the order they were first added in.
 */
final class ResultTable {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** One run's values. */
    record Entry(String variant, long seed, String runId, Map<String, Double> metrics) {}

    private final String experiment;
    private final String description;
    private final List<String> variants;
    private final List<String> wantedMetrics;
    private final List<Entry> entries = new ArrayList<>();

    /**
     * @param variants the variants in table order
     * @param metrics the metrics to show, or empty for every metric the runs report
     */
    ResultTable(String experiment, String description, List<String> variants, List<String> metrics) {
        this.experiment = experiment;
        this.description = description;
        this.variants = List.copyOf(variants);
        this.wantedMetrics = List.copyOf(metrics);
    }

    synchronized void add(Entry entry) {
        entries.removeIf(e -> e.variant().equals(entry.variant()) && e.seed() == entry.seed());
        entries.add(entry);
    }

    /** @return the metrics the table shows */
    synchronized List<String> metrics() {
        if (!wantedMetrics.isEmpty()) {
            return wantedMetrics;
        }
        Set<String> names = new LinkedHashSet<>();
        entries.forEach(e -> names.addAll(e.metrics().keySet()));
        return new ArrayList<>(names);
    }

    /** @return the values of a metric for a variant, seed by seed in the order the runs ended */
    synchronized List<Double> values(String variant, String metric) {
        List<Double> values = new ArrayList<>();
        for (Entry e : entries) {
            Double v = e.variant().equals(variant) ? e.metrics().get(metric) : null;
            if (v != null && !v.isNaN()) {
                values.add(v);
            }
        }
        return values;
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** @return the sample standard deviation, 0 for a single value */
    static double spread(List<Double> values) {
        if (values.size() < 2) {
            return values.isEmpty() ? Double.NaN : 0;
        }
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / (values.size() - 1));
    }

    /** @return the table as Markdown: a row per variant, "mean ± spread (n)" per metric */
    synchronized String markdown() {
        List<String> metrics = metrics();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(experiment).append("\n\n");
        if (!description.isBlank()) {
            md.append(description).append("\n\n");
        }
        md.append("| variant |");
        metrics.forEach(m -> md.append(' ').append(m).append(" |"));
        md.append("\n|---|");
        metrics.forEach(m -> md.append("---|"));
        md.append('\n');
        for (String variant : variants) {
            md.append("| ").append(variant).append(" |");
            for (String metric : metrics) {
                List<Double> values = values(variant, metric);
                md.append(' ').append(values.isEmpty() ? "-" : String.format(Locale.ROOT, "%s ± %s (%d)",
                        format(mean(values)), format(spread(values)), values.size())).append(" |");
            }
            md.append('\n');
        }
        md.append("\nmean ± sample standard deviation over seeds (number of runs)\n");
        return md.toString();
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double a = Math.abs(value);
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.3f" : "%.4f", value);
    }

    /** @return one line per variant, metric and statistic, for spreadsheets */
    synchronized String csv() {
        StringBuilder csv = new StringBuilder("variant,metric,mean,spread,runs,values\n");
        for (String variant : variants) {
            for (String metric : metrics()) {
                List<Double> values = values(variant, metric);
                if (values.isEmpty()) {
                    continue;
                }
                csv.append(variant).append(',').append(metric).append(',').append(mean(values)).append(',')
                        .append(spread(values)).append(',').append(values.size()).append(',')
                        .append(String.join(";", values.stream().map(String::valueOf).toList())).append('\n');
            }
        }
        return csv.toString();
    }

    /** @return every run with its values, as JSON */
    synchronized String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("experiment", experiment);
        root.put("description", description);
        root.put("variants", variants);
        root.put("metrics", metrics());
        root.put("runs", entries);
        return GSON.toJson(root);
    }

    /**
     * Writes {@code results.md}, {@code results.csv}, {@code results.json} and one
     * {@code <metric>.png} per metric into the directory, each atomically.
     *
     * @return the Markdown file
     */
    synchronized Path write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path md = directory.resolve("results.md");
        atomic(md, markdown().getBytes(StandardCharsets.UTF_8));
        atomic(directory.resolve("results.csv"), csv().getBytes(StandardCharsets.UTF_8));
        atomic(directory.resolve("results.json"), json().getBytes(StandardCharsets.UTF_8));
        for (String metric : metrics()) {
            List<List<Double>> series = new ArrayList<>();
            for (String variant : variants) {
                series.add(values(variant, metric));
            }
            atomic(directory.resolve(fileName(metric) + ".png"), BarChart.png(experiment + ": " + metric, variants, series));
        }
        return md;
    }

    /** @return a metric name made safe as a file name ({@code image_to_text_R@1} -> {@code image_to_text_R_1}) */
    static String fileName(String metric) {
        return metric.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void atomic(Path target, byte[] content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".part");
        Files.write(temporary, content);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
