package org.synthloom.runtime.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The text the runtime prints once it is ready: what runs, where it looks, what is missing. */
final class StatusReport {

    /**
     * One Declarative Services component as the report shows it.
     *
     * @param state one of active, ready (registered, activated on first use), waiting (for a
     *     reference or a configuration), failed, disabled
     */
    record Component(String name, String state, String plugin, List<String> waitingFor) {
        boolean usable() {
            return "active".equals(state) || "ready".equals(state);
        }
    }

    private final String headline;
    private final List<String[]> facts = new ArrayList<>();
    private final List<Component> components = new ArrayList<>();
    private final List<String> pipelines = new ArrayList<>();
    private final List<String> experiments = new ArrayList<>();

    StatusReport(String headline) {
        this.headline = headline;
    }

    StatusReport fact(String label, String value) {
        facts.add(new String[] {label, value});
        return this;
    }

    StatusReport component(Component component) {
        components.add(component);
        return this;
    }

    StatusReport pipeline(String name) {
        pipelines.add(name);
        return this;
    }

    StatusReport experiment(String name) {
        experiments.add(name);
        return this;
    }

    String render() {
        StringBuilder s = new StringBuilder(headline).append('\n');
        facts.forEach(f -> row(s, f[0], f[1]));
        List<Component> sorted = new ArrayList<>(components);
        sorted.sort(Comparator.comparing(Component::usable).reversed().thenComparing(Component::name));
        Map<String, Long> byState = new TreeMap<>();
        sorted.forEach(c -> byState.merge(c.state(), 1L, Long::sum));
        row(s, "components", byState.isEmpty() ? "none" : byState.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        for (Component c : sorted) {
            String label = c.plugin().isEmpty() ? c.name() : c.plugin() + "  (" + c.name() + ")";
            s.append(String.format(Locale.ROOT, "    %-8s %s%n", c.state(), label));
            for (String missing : c.waitingFor()) {
                s.append("             waiting for ").append(missing).append('\n');
            }
        }
        row(s, "pipelines", pipelines.isEmpty() ? "none" : String.join(", ", pipelines.stream().sorted().toList()));
        if (!experiments.isEmpty()) {
            row(s, "experiments", String.join(", ", experiments.stream().sorted().toList()));
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String label, String value) {
        s.append(String.format(Locale.ROOT, "  %-11s %s%n", label, value));
    }
}
