package org.synthloom.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.synthloom.api.Plugins;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.model.ModelRecipe;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.train.Evaluator;
import org.synthloom.api.train.Objective;

/**
 * The operators' commands, registered with the Gogo command processor in scope {@code synthloom}:
 * plugin components by kind, the runs of the pipelines (start, stop, pause, resume) and the swap of
 * a pipeline's stage component, which edits the pipeline's {@code <stage>.target} through
 * ConfigAdmin so that the engine serves the run's next batch with the new component.
 *
 * <p>Each command returns its answer as text (Gogo prints it) and reports bad input with an
 * {@link IllegalArgumentException} that says what was wrong and what exists.
 */
@Component(service = ShellCommands.class, property = {"osgi.command.scope=synthloom",
        "osgi.command.function=components", "osgi.command.function=runs", "osgi.command.function=run",
        "osgi.command.function=stop", "osgi.command.function=pause", "osgi.command.function=resume",
        "osgi.command.function=swap"})
public class ShellCommands {

    /** The engine's factory PID: one configuration per pipeline. */
    static final String PIPELINE_FACTORY_PID = "org.synthloom.pipeline";
    private static final String FILENAME = "felix.fileinstall.filename";

    /**
     * A stage role of a pipeline: its target property, the kind it takes, and whether a running
     * run takes a new component at its next batch boundary or keeps it pinned until its end.
     */
    record Stage(String name, String property, String kind, boolean pinned) {}

    static final List<Stage> STAGES = List.of(
            new Stage("dataset", "dataset.target", Dataset.KIND, false),
            new Stage("captioner", "captioner.target", CaptionGenerator.KIND, false),
            new Stage("generator", "generator.target", ImageGenerator.KIND, false),
            new Stage("objective", "objective.target", Objective.KIND, false),
            new Stage("evaluator", "evaluator.target", Evaluator.KIND, false),
            // Read when training starts (the model's architecture), or pinned for the run because a
            // vocabulary or codebook that changed mid-run would mix incompatible ids.
            new Stage("recipe", "recipe.target", ModelRecipe.KIND, true),
            new Stage("tokenizer", "tokenizer.target", Tokenizer.KIND, true),
            new Stage("image.tokenizer", "image.tokenizer.target", ImageTokenizer.KIND, true));

    private final ServiceComponentRuntime scr;
    private final ConfigurationAdmin configurationAdmin;
    private final List<Pipeline> pipelines = new CopyOnWriteArrayList<>();

    /**
     * @param scr what Declarative Services knows of every component, for {@code components}
     * @param configurationAdmin where pipeline configurations live, for {@code swap}
     */
    @Activate
    public ShellCommands(@Reference(name = "scr") ServiceComponentRuntime scr,
            @Reference(name = "configurationAdmin") ConfigurationAdmin configurationAdmin) {
        this.scr = scr;
        this.configurationAdmin = configurationAdmin;
    }

    /** Adds a pipeline the commands can run. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPipeline(Pipeline pipeline) {
        pipelines.add(pipeline);
    }

    void unbindPipeline(Pipeline pipeline) {
        pipelines.remove(pipeline);
    }

    // --- components ---

    /**
     * Lists every plugin component.
     *
     * @return one line per component: kind, name, version, bundle, state
     */
    @Descriptor("list the plugin components: kind, name, version, bundle, state")
    public String components() {
        return components("");
    }

    /**
     * Lists the plugin components of a kind.
     *
     * @param kind e.g. {@code objective}; empty for all
     * @return one line per component: kind, name, version, bundle, state
     */
    @Descriptor("list the plugin components of one kind: kind, name, version, bundle, state")
    public String components(@Descriptor("kind, e.g. objective, caption-generator, image-generator") String kind) {
        List<PluginComponent> all = plugins();
        List<PluginComponent> shown = all.stream().filter(c -> kind.isBlank() || c.kind().equals(kind.trim())).toList();
        if (shown.isEmpty()) {
            List<String> kinds = all.stream().map(PluginComponent::kind).distinct().sorted().toList();
            throw new IllegalArgumentException("no component of kind '" + kind + "'; kinds present: "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "NAME", "VERSION", "BUNDLE", "STATE"});
        shown.forEach(c -> rows.add(new String[] {c.kind(), c.name(), c.version(), c.bundle(), c.state()}));
        return table(rows);
    }

    /** A plugin component as {@code components} shows it; {@code properties} are what its filters match. */
    record PluginComponent(String kind, String name, String version, String bundle, String state,
            Map<String, Object> properties) {}

    /** Every component configuration that carries {@code synthloom.kind}, sorted by kind, name, version. */
    List<PluginComponent> plugins() {
        List<PluginComponent> found = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.properties == null || description.properties.get(Plugins.KIND) == null) {
                continue;
            }
            String version = description.bundle.version == null ? "?" : description.bundle.version;
            String bundle = description.bundle.symbolicName + " [" + description.bundle.id + "]";
            List<ComponentConfigurationDTO> configurations = new ArrayList<>(scr.getComponentConfigurationDTOs(description));
            if (configurations.isEmpty()) {
                boolean enabled = scr.isComponentEnabled(description);
                found.add(new PluginComponent(String.valueOf(description.properties.get(Plugins.KIND)),
                        String.valueOf(description.properties.get(Plugins.NAME)), version, bundle,
                        enabled ? "waiting for configuration" : "disabled", description.properties));
                continue;
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                Map<String, Object> properties = configuration.properties == null ? description.properties
                        : configuration.properties;
                found.add(new PluginComponent(String.valueOf(properties.get(Plugins.KIND)),
                        String.valueOf(properties.get(Plugins.NAME)), version, bundle, state(configuration), properties));
            }
        }
        found.sort(Comparator.comparing(PluginComponent::kind).thenComparing(PluginComponent::name)
                .thenComparing(PluginComponent::version));
        return found;
    }

    private static String state(ComponentConfigurationDTO configuration) {
        return switch (configuration.state) {
            case ComponentConfigurationDTO.ACTIVE -> "active";
            case ComponentConfigurationDTO.SATISFIED -> "satisfied";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "waiting for configuration";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                List<String> missing = new ArrayList<>();
                for (UnsatisfiedReferenceDTO ref : configuration.unsatisfiedReferences) {
                    missing.add(ref.name + (ref.target == null ? "" : " " + ref.target));
                }
                yield "unsatisfied, missing " + String.join(", ", missing);
            }
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "activation failed: "
                    + (configuration.failure == null ? "see the log" : firstLine(configuration.failure));
            default -> "state " + configuration.state;
        };
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }

    // --- runs ---

    /**
     * Lists the runs the pipelines started in this framework.
     *
     * @return one line per run: id, pipeline, state, where it is (stage and step, or why it paused)
     */
    @Descriptor("list the runs of the pipelines: id, pipeline, state, where it is")
    public String runs() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "PIPELINE", "STATE", "WHERE"});
        for (Pipeline pipeline : sortedPipelines()) {
            pipeline.currentRun().ifPresent(run -> rows.add(new String[] {run.id(), run.pipeline(), run.state().name(),
                    where(run)}));
        }
        if (rows.size() == 1) {
            return "no run since the start; pipelines: " + pipelineNames() + " (start one with: run <pipeline>)";
        }
        return table(rows);
    }

    /** The run's last progress, or the reason of its pause or failure. */
    private static String where(Run run) {
        List<RunEvent> events = run.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            RunEvent e = events.get(i);
            switch (e.type()) {
                case PAUSED, FAILED -> {
                    return e.message();
                }
                case PROGRESS, METRIC -> {
                    return e.message() + " " + e.step() + (e.totalSteps() > 0 ? "/" + e.totalSteps() : "");
                }
                case FINISHED, CANCELLED -> {
                    return e.type().name().toLowerCase(Locale.ROOT);
                }
                default -> {
                    // look further back
                }
            }
        }
        return "";
    }

    /**
     * Starts a run of a pipeline (resuming its earlier work, if any).
     *
     * @param pipeline the pipeline's name
     * @return the run's id
     */
    @Descriptor("start a run of a pipeline (it resumes the pipeline's earlier work)")
    public String run(@Descriptor("pipeline name") String pipeline) {
        Run run = pipeline(pipeline).start();
        return "started " + run.id() + " (pipeline " + run.pipeline() + ")";
    }

    /**
     * Stops a run at its next batch boundary; completed work is kept.
     *
     * @param run a run id, or a pipeline name for its current run
     * @return what was asked
     */
    @Descriptor("stop a run at its next batch boundary, keeping its work (a new run of the pipeline resumes it)")
    public String stop(@Descriptor("run id, or pipeline name") String run) {
        Run found = working(run);
        found.cancel();
        return "stopping " + found.id() + " at its next batch boundary";
    }

    /**
     * Pauses a run at its next batch boundary.
     *
     * @param run a run id, or a pipeline name for its current run
     * @return what was asked
     */
    @Descriptor("pause a run at its next batch boundary")
    public String pause(@Descriptor("run id, or pipeline name") String run) {
        Run found = working(run);
        found.pause();
        return "pausing " + found.id() + " at its next batch boundary";
    }

    /**
     * Resumes a paused run (after a pause on request, or on a component error with
     * {@code on.component.error = pause}, which retries the failed work).
     *
     * @param run a run id, or a pipeline name for its current run
     * @return what was asked
     */
    @Descriptor("resume a paused run")
    public String resume(@Descriptor("run id, or pipeline name") String run) {
        Run found = working(run);
        found.resume();
        return "resuming " + found.id();
    }

    private List<Pipeline> sortedPipelines() {
        List<Pipeline> sorted = new ArrayList<>(pipelines);
        sorted.sort(Comparator.comparing(Pipeline::name));
        return sorted;
    }

    private String pipelineNames() {
        List<String> names = sortedPipelines().stream().map(Pipeline::name).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private Pipeline pipeline(String name) {
        return pipelines.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no pipeline named '" + name + "'; pipelines: " + pipelineNames()));
    }

    /** A run that has not ended, by id or by its pipeline's name. */
    private Run working(String idOrPipeline) {
        Optional<Run> found = Optional.empty();
        for (Pipeline pipeline : pipelines) {
            Optional<Run> run = pipeline.currentRun();
            if (run.isPresent() && (run.get().id().equals(idOrPipeline) || pipeline.name().equals(idOrPipeline))) {
                found = run;
                break;
            }
        }
        Run run = found.orElseThrow(() -> new IllegalArgumentException("no run '" + idOrPipeline + "' (give a run id"
                + " or a pipeline name); runs: " + runIds()));
        if (run.state().isTerminal()) {
            throw new IllegalArgumentException("run " + run.id() + " has ended (" + run.state() + ")");
        }
        return run;
    }

    private String runIds() {
        List<String> ids = new ArrayList<>();
        for (Pipeline pipeline : sortedPipelines()) {
            pipeline.currentRun().ifPresent(r -> ids.add(r.id() + " " + r.state()));
        }
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    // --- swap ---

    /**
     * Points a stage of a pipeline at another component by editing its {@code <stage>.target}
     * through ConfigAdmin. A running run serves its next batch with the new component and records
     * a {@code COMPONENT_SWAPPED} event; the pinned roles (recipe, tokenizers) take it at the next run.
     *
     * @param pipeline the pipeline's name
     * @param stage {@code dataset}, {@code captioner}, {@code generator}, {@code objective},
     *     {@code evaluator}, {@code recipe}, {@code tokenizer} or {@code image.tokenizer}
     *     (with or without {@code .target})
     * @param filterOrName a plugin name ({@code synthloom.name}) or an LDAP filter
     * @return what changed, and a warning when nothing registered matches the new target
     */
    @Descriptor("point a stage of a pipeline at another component (edits <stage>.target; a running run takes it at its"
            + " next batch boundary)")
    public String swap(@Descriptor("pipeline name") String pipeline,
            @Descriptor("stage: dataset, captioner, generator, objective, evaluator, recipe, tokenizer, image.tokenizer")
            String stage,
            @Descriptor("a plugin name, or an LDAP filter such as (synthloom.name=siglip)") String filterOrName)
            throws IOException, InvalidSyntaxException {
        Stage role = stage(stage);
        String value = filterOrName.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("give a plugin name or an LDAP filter for the " + role.name());
        }
        String filter = value.startsWith("(") ? value : Plugins.filter(role.kind(), value);
        Filter parsed;
        try {
            parsed = FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("'" + filter + "' is not an LDAP filter: " + e.getMessage(), e);
        }
        Configuration configuration = pipelineConfiguration(pipeline);
        Dictionary<String, Object> old = configuration.getProperties();
        Hashtable<String, Object> properties = new Hashtable<>();
        for (Enumeration<String> keys = old.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            properties.put(key, old.get(key));
        }
        Object previous = properties.put(role.property(), filter);
        configuration.update(properties);

        StringBuilder answer = new StringBuilder().append("pipeline ").append(pipeline).append(": ")
                .append(role.property()).append(' ').append(previous == null ? "(default)" : previous).append(" -> ")
                .append(filter);
        answer.append(role.pinned() ? "; the " + role.name() + " is fixed for a run: the next run uses it"
                : "; a running run uses it from its next batch");
        List<String> matching = plugins().stream().filter(c -> c.kind().equals(role.kind()))
                .filter(c -> parsed.matches(withIdentity(c))).map(c -> c.name() + "@" + c.version() + " " + c.state())
                .distinct().toList();
        if (matching.isEmpty()) {
            answer.append("\nwarning: no ").append(role.kind()).append(" matches it now; a run that needs it pauses until"
                    + " one is installed");
        } else {
            answer.append("\nmatching: ").append(String.join(", ", matching));
        }
        Object file = old.get(FILENAME);
        if (file != null) {
            String f = file.toString();
            answer.append("\nnote: the pipeline comes from ").append(f.substring(f.lastIndexOf('/') + 1))
                    .append(", which still holds the old value: edit it to keep the change after a restart");
        }
        return answer.toString();
    }

    private static Map<String, Object> withIdentity(PluginComponent component) {
        Map<String, Object> properties = new HashMap<>(component.properties());
        properties.put(Plugins.KIND, component.kind());
        properties.put(Plugins.NAME, component.name());
        return properties;
    }

    static Stage stage(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        String bare = key.endsWith(".target") ? key.substring(0, key.length() - ".target".length()) : key;
        return STAGES.stream().filter(s -> s.name().equals(bare) || s.kind().equals(bare)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage '" + name + "'; stages: "
                        + String.join(", ", STAGES.stream().map(Stage::name).toList())));
    }

    /** The factory configuration of a pipeline: the one named so, or whose {@code name} property says so. */
    private Configuration pipelineConfiguration(String pipeline) throws IOException, InvalidSyntaxException {
        Configuration[] all = configurationAdmin.listConfigurations("(service.factoryPid=" + PIPELINE_FACTORY_PID + ")");
        List<String> names = new ArrayList<>();
        for (Configuration c : all == null ? new Configuration[0] : all) {
            String pid = c.getPid();
            String configName = pid.substring(pid.indexOf('~') + 1);
            Object named = c.getProperties() == null ? null : c.getProperties().get("name");
            String name = named == null || named.toString().isBlank() ? configName : named.toString().trim();
            if (name.equals(pipeline) || configName.equals(pipeline)) {
                return c;
            }
            names.add(name);
        }
        names.sort(null);
        throw new IllegalArgumentException("no pipeline configuration named '" + pipeline + "'; configured: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    /** Left-aligned columns, two spaces apart. */
    static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
