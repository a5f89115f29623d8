package org.synthloom.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.promise.Promise;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;

/** The commands against fake Declarative Services, ConfigAdmin and engine, outside OSGi. */
class ShellCommandsTest {

    /** Declarative Services as the DTOs describe it. */
    private static final class FakeScr implements ServiceComponentRuntime {
        final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> components = new java.util.LinkedHashMap<>();

        void add(String kind, String name, String version, long bundleId, int state, String failure,
                UnsatisfiedReferenceDTO... missing) {
            ComponentDescriptionDTO d = new ComponentDescriptionDTO();
            d.name = "component." + name + "." + version;
            d.bundle = new BundleDTO();
            d.bundle.id = bundleId;
            d.bundle.symbolicName = "org.example." + name;
            d.bundle.version = version;
            d.properties = new HashMap<>(Map.of("synthloom.kind", kind, "synthloom.name", name));
            ComponentConfigurationDTO c = new ComponentConfigurationDTO();
            c.state = state;
            c.properties = d.properties;
            c.failure = failure;
            c.unsatisfiedReferences = missing;
            components.put(d, state < 0 ? List.of() : List.of(c));
        }

        @Override
        public Collection<ComponentDescriptionDTO> getComponentDescriptionDTOs(Bundle... bundles) {
            List<ComponentDescriptionDTO> all = new ArrayList<>(components.keySet());
            ComponentDescriptionDTO infrastructure = new ComponentDescriptionDTO();
            infrastructure.name = "not a plugin";
            infrastructure.properties = Map.of();
            all.add(infrastructure);
            return all;
        }

        @Override
        public ComponentDescriptionDTO getComponentDescriptionDTO(Bundle bundle, String name) {
            return null;
        }

        @Override
        public Collection<ComponentConfigurationDTO> getComponentConfigurationDTOs(ComponentDescriptionDTO description) {
            return components.getOrDefault(description, List.of());
        }

        @Override
        public boolean isComponentEnabled(ComponentDescriptionDTO description) {
            return true;
        }

        @Override
        public Promise<Void> enableComponent(ComponentDescriptionDTO description) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Promise<Void> disableComponent(ComponentDescriptionDTO description) {
            throw new UnsupportedOperationException();
        }
    }

    /** A run that records what it was asked. */
    private static final class FakeRun implements Run {
        final String id;
        final String pipeline;
        RunState state = RunState.RUNNING;
        final List<RunEvent> events = new ArrayList<>();
        final List<String> asked = new ArrayList<>();

        FakeRun(String id, String pipeline) {
            this.id = id;
            this.pipeline = pipeline;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String pipeline() {
            return pipeline;
        }

        @Override
        public RunState state() {
            return state;
        }

        @Override
        public List<RunEvent> events() {
            return events;
        }

        @Override
        public void pause() {
            asked.add("pause");
        }

        @Override
        public void resume() {
            asked.add("resume");
        }

        @Override
        public void cancel() {
            asked.add("cancel");
        }

        @Override
        public RunState await(Duration timeout) {
            return state;
        }
    }

    private static final class FakePipeline implements Pipeline {
        final String name;
        FakeRun current;
        int started;

        FakePipeline(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Run start() {
            started++;
            current = new FakeRun(name + "-run-" + started, name);
            return current;
        }

        @Override
        public Optional<Run> currentRun() {
            return Optional.ofNullable(current);
        }
    }

    /** Pipeline configurations by PID, behind a ConfigAdmin whose {@code update} replaces the properties. */
    private final Map<String, Hashtable<String, Object>> configurations = new java.util.TreeMap<>();

    private ConfigurationAdmin configurationAdmin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("listConfigurations")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    assertEquals("(service.factoryPid=org.synthloom.pipeline)", args[0]);
                    return configurations.keySet().stream().map(this::configuration).toArray(Configuration[]::new);
                });
    }

    private Configuration configuration(String pid) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getFactoryPid" -> "org.synthloom.pipeline";
                    case "getProperties" -> new Hashtable<>(configurations.get(pid));
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                        Hashtable<String, Object> copy = new Hashtable<>();
                        for (var keys = d.keys(); keys.hasMoreElements();) {
                            String k = keys.nextElement();
                            copy.put(k, d.get(k));
                        }
                        configurations.put(pid, copy);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final FakeScr scr = new FakeScr();

    private ShellCommands commands() {
        return new ShellCommands(scr, configurationAdmin());
    }

    @Test
    void componentsListsPluginsByKindWithVersionBundleAndState() {
        scr.add("objective", "clip", "0.1.0", 12, ComponentConfigurationDTO.ACTIVE, null);
        scr.add("objective", "broken", "1.0.0", 40, ComponentConfigurationDTO.FAILED_ACTIVATION,
                "java.lang.IllegalStateException: no weights\n\tat org.example.Broken.<init>(Broken.java:10)");
        UnsatisfiedReferenceDTO missing = new UnsatisfiedReferenceDTO();
        missing.name = "devices";
        missing.target = null;
        scr.add("caption-generator", "template", "0.1.0", 13, ComponentConfigurationDTO.UNSATISFIED_REFERENCE, null,
                missing);
        ShellCommands commands = commands();

        String all = commands.components();
        List<String> lines = all.lines().toList();
        assertEquals(4, lines.size(), all);
        assertTrue(lines.get(0).startsWith("KIND"), all);
        assertTrue(lines.get(1).startsWith("caption-generator  template"), all);
        assertTrue(lines.get(1).endsWith("unsatisfied, missing devices"), all);
        assertTrue(lines.get(2).contains("broken") && lines.get(2).endsWith("activation failed: "
                + "java.lang.IllegalStateException: no weights"), all);
        assertTrue(lines.get(3).contains("clip") && lines.get(3).contains("0.1.0")
                && lines.get(3).contains("org.example.clip [12]") && lines.get(3).endsWith("active"), all);

        String objectives = commands.components("objective");
        assertEquals(3, objectives.lines().count(), objectives);
        assertFalse(objectives.contains("template"), objectives);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> commands.components("dataset"));
        assertEquals("no component of kind 'dataset'; kinds present: caption-generator, objective", none.getMessage());
    }

    @Test
    void runsAreStartedListedPausedResumedAndStoppedByIdOrPipeline() {
        ShellCommands commands = commands();
        FakePipeline small = new FakePipeline("small");
        FakePipeline other = new FakePipeline("other");
        commands.bindPipeline(small);
        commands.bindPipeline(other);
        assertEquals("no run since the start; pipelines: other, small (start one with: run <pipeline>)", commands.runs());

        assertEquals("started small-run-1 (pipeline small)", commands.run("small"));
        small.current.events.add(RunEvent.builder(RunEvent.Type.PROGRESS, "small-run-1", 0).step(120, 300)
                .message("train").build());
        String runs = commands.runs();
        assertTrue(runs.lines().skip(1).findFirst().orElseThrow().matches("small-run-1\\s+small\\s+RUNNING\\s+train 120/300"),
                runs);

        assertEquals("pausing small-run-1 at its next batch boundary", commands.pause("small-run-1"));
        small.current.state = RunState.PAUSED;
        small.current.events.add(RunEvent.builder(RunEvent.Type.PAUSED, "small-run-1", 1)
                .message("waiting for the objective ((synthloom.name=x)): none is registered").build());
        assertTrue(commands.runs().contains("PAUSED  waiting for the objective"), commands.runs());
        assertEquals("resuming small-run-1", commands.resume("small"));
        assertEquals("stopping small-run-1 at its next batch boundary", commands.stop("small"));
        assertEquals(List.of("pause", "resume", "cancel"), small.current.asked);

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> commands.stop("nope"));
        assertEquals("no run 'nope' (give a run id or a pipeline name); runs: small-run-1 PAUSED", unknown.getMessage());
        small.current.state = RunState.FINISHED;
        assertEquals("run small-run-1 has ended (FINISHED)",
                assertThrows(IllegalArgumentException.class, () -> commands.pause("small")).getMessage());
        assertEquals("no pipeline named 'big'; pipelines: other, small",
                assertThrows(IllegalArgumentException.class, () -> commands.run("big")).getMessage());
        commands.unbindPipeline(other);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.run("other")).getMessage()
                .endsWith("pipelines: small"));
    }

    @Test
    void swapEditsTheStageTargetOfThePipelineConfiguration() throws Exception {
        scr.add("objective", "clip", "0.1.0", 12, ComponentConfigurationDTO.ACTIVE, null);
        scr.add("objective", "siglip", "0.1.0", 12, ComponentConfigurationDTO.ACTIVE, null);
        Hashtable<String, Object> small = new Hashtable<>();
        small.put("objective.target", "(synthloom.name=clip)");
        small.put("train.steps", 300);
        small.put("felix.fileinstall.filename", "file:/home/me/runtime-config/org.synthloom.pipeline-small.json");
        configurations.put("org.synthloom.pipeline~small", small);
        Hashtable<String, Object> renamed = new Hashtable<>();
        renamed.put("name", "big");
        configurations.put("org.synthloom.pipeline~b", renamed);
        ShellCommands commands = commands();

        String answer = commands.swap("small", "objective", "siglip");
        assertEquals("(&(synthloom.kind=objective)(synthloom.name=siglip))",
                configurations.get("org.synthloom.pipeline~small").get("objective.target"));
        assertEquals(300, configurations.get("org.synthloom.pipeline~small").get("train.steps"), "other properties kept");
        assertTrue(answer.startsWith("pipeline small: objective.target (synthloom.name=clip) -> "
                + "(&(synthloom.kind=objective)(synthloom.name=siglip)); a running run uses it from its next batch"), answer);
        assertTrue(answer.contains("\nmatching: siglip@0.1.0 active"), answer);
        assertTrue(answer.contains("org.synthloom.pipeline-small.json, which still holds the old value"), answer);

        String filter = commands.swap("small", "objective.target", "(|(synthloom.name=clip)(synthloom.name=siglip))");
        assertEquals("(|(synthloom.name=clip)(synthloom.name=siglip))",
                configurations.get("org.synthloom.pipeline~small").get("objective.target"));
        assertTrue(filter.contains("matching: clip@0.1.0 active, siglip@0.1.0 active"), filter);

        String missing = commands.swap("big", "generator", "diffusion");
        assertEquals("(&(synthloom.kind=image-generator)(synthloom.name=diffusion))",
                configurations.get("org.synthloom.pipeline~b").get("generator.target"));
        assertTrue(missing.startsWith("pipeline big: generator.target (default) -> "), missing);
        assertTrue(missing.contains("warning: no image-generator matches it now; a run that needs it pauses until one is"
                + " installed"), missing);
        assertTrue(commands.swap("big", "tokenizer", "bpe").contains("the tokenizer is fixed for a run: the next run uses it"));

        assertEquals("no stage 'loss'; stages: dataset, captioner, generator, objective, evaluator, recipe, tokenizer,"
                + " image.tokenizer", assertThrows(IllegalArgumentException.class,
                        () -> commands.swap("small", "loss", "x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.swap("small", "objective", "(name=x"))
                .getMessage().startsWith("'(name=x' is not an LDAP filter"));
        assertEquals("no pipeline configuration named 'tiny'; configured: big, small",
                assertThrows(IllegalArgumentException.class, () -> commands.swap("tiny", "objective", "clip")).getMessage());
    }

    @Test
    void theConsoleExecutesLinesPrintsErrorsAndClosesOnExitWithoutStoppingAnything() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> executed = new ArrayList<>();
        StdinConsole.loop(new BufferedReader(new StringReader("runs\n\nbad\nexit\nruns\n")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), line -> {
                    executed.add(line);
                    if (line.equals("bad")) {
                        throw new IllegalArgumentException("Command not found: bad");
                    }
                    return "no run\n";
                }, () -> false);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(List.of("runs", "bad"), executed, "nothing after exit");
        assertTrue(out.startsWith(StdinConsole.BANNER + "\n" + StdinConsole.PROMPT + "no run\n" + StdinConsole.PROMPT
                + StdinConsole.PROMPT + "error: Command not found: bad\n"), out);
        assertTrue(out.endsWith("shell closed; Synthloom keeps running (Ctrl-C stops it)\n"), out);
    }
}
