package org.synthloom.runtime.internal;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.Plugins;
import org.synthloom.api.run.Experiment;
import org.synthloom.api.run.ExperimentRun;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunListener;
import org.synthloom.api.run.RunState;
import org.synthloom.djl.DeviceService;

/**
 * The runtime's main program. The bnd launcher calls it (it is the {@code main.thread} service)
 * once every boot bundle has started, with the command-line arguments: it reports what is running,
 * runs the chosen pipeline with a progress bar, then keeps the runtime up until Ctrl-C, which it
 * turns into an orderly framework stop so that every component deactivates and saves its work.
 */
@Component(service = Callable.class, property = "main.thread=true", configurationPid = MainJob.PID)
@Designate(ocd = MainJobConfig.class)
public class MainJob implements Callable<Integer> {

    static final String PID = "org.synthloom.runtime";
    /** The service property through which a web console publishes its URL (with the token). */
    static final String CONSOLE_URL = "synthloom.console.url";

    private static final Logger LOG = LoggerFactory.getLogger(MainJob.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final BundleContext context;
    private final MainJobConfig config;
    private final List<String> arguments;
    private final ServiceComponentRuntime scr;
    private final Framework framework;
    private final Map<String, Pipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, Experiment> experiments = new ConcurrentHashMap<>();
    private final CountDownLatch deactivated = new CountDownLatch(1);
    private final PrintStream out = System.out;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DeviceService devices;

    private volatile Thread shutdownHook;

    @Activate
    public MainJob(BundleContext context, MainJobConfig config, @Reference(name = "scr") ServiceComponentRuntime scr,
            @Reference(name = "launcher", service = Object.class, target = "(launcher.ready=true)")
            Map<String, Object> launcher) {
        this.context = context;
        this.config = config;
        this.scr = scr;
        this.framework = (Framework) context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        Object args = launcher.get("launcher.arguments");
        this.arguments = args instanceof String[] strings ? List.of(strings) : List.of();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPipeline(Pipeline pipeline, Map<String, Object> properties) {
        pipelines.put(pipeline.name(), pipeline);
    }

    void unbindPipeline(Pipeline pipeline, Map<String, Object> properties) {
        pipelines.remove(pipeline.name(), pipeline);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindExperiment(Experiment experiment, Map<String, Object> properties) {
        experiments.put(experiment.name(), experiment);
    }

    void unbindExperiment(Experiment experiment, Map<String, Object> properties) {
        experiments.remove(experiment.name(), experiment);
    }

    @Deactivate
    void deactivate() {
        deactivated.countDown();
        Thread hook = shutdownHook;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is what is stopping us.
            }
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cli;
        try {
            cli = CommandLine.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println("synthloom: " + e.getMessage());
            System.err.print(CommandLine.USAGE);
            return 2;
        }
        switch (cli.action()) {
            case HELP -> {
                out.print(CommandLine.USAGE);
                return 0;
            }
            case VERSION -> {
                out.println("Synthloom " + version());
                return 0;
            }
            default -> {
                // RUN and LIST continue below.
            }
        }
        installShutdownHook();
        awaitSettled(Duration.ofSeconds(5));
        out.print(report().render());
        out.flush();
        if (cli.action() == CommandLine.Action.LIST) {
            return 0;
        }
        if (cli.experiment().isPresent()) {
            Optional<RunState> end = runExperiment(cli.experiment().get());
            if (cli.exitWhenDone()) {
                return end.filter(state -> state == RunState.FINISHED).isPresent() ? 0 : 1;
            }
            out.println("Synthloom is running. Press Ctrl-C to stop.");
            deactivated.await();
            return 0;
        }
        Optional<String> pipelineName = cli.pipelineToRun(config.default_pipeline());
        if (pipelineName.isPresent()) {
            Optional<RunState> end = runPipeline(pipelineName.get());
            if (cli.exitWhenDone()) {
                return end.filter(state -> state == RunState.FINISHED).isPresent() ? 0 : 1;
            }
        } else if (cli.exitWhenDone()) {
            return 0;
        }
        out.println("Synthloom is running. Press Ctrl-C to stop.");
        deactivated.await();
        return 0;
    }

    /** Runs a pipeline to its end, drawing its progress; empty if it could not start. */
    private Optional<RunState> runPipeline(String name) throws InterruptedException {
        Pipeline pipeline = awaitPipeline(name, Duration.ofSeconds(config.pipeline_wait_seconds()));
        if (pipeline == null) {
            String available = pipelines.isEmpty() ? "none" : String.join(", ", pipelines.keySet());
            System.err.println("synthloom: no pipeline named '" + name + "' appeared within "
                    + config.pipeline_wait_seconds() + " s (available: " + available + ")");
            return Optional.empty();
        }
        ProgressPrinter printer = new ProgressPrinter(out, System.console() != null);
        ServiceRegistration<RunListener> registration = context.registerService(RunListener.class, printer, null);
        try {
            out.println("Running pipeline " + name);
            Run run = pipeline.start();
            printer.follow(run.id());
            RunState state = run.state();
            while (!state.isTerminal() && deactivated.getCount() > 0) {
                state = run.await(Duration.ofMillis(250));
            }
            return Optional.of(state);
        } catch (RuntimeException e) {
            System.err.println("synthloom: pipeline " + name + " did not start: " + e.getMessage());
            LOG.error("pipeline {} did not start", name, e);
            return Optional.of(RunState.FAILED);
        } finally {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework is stopping.
            }
        }
    }

    /**
     * Runs an experiment to its end, drawing the progress of each of its runs, then prints its
     * table; empty if it could not start.
     */
    private Optional<RunState> runExperiment(String name) throws InterruptedException {
        Experiment experiment = awaitService(experiments, name, "experiment",
                Duration.ofSeconds(config.pipeline_wait_seconds()));
        if (experiment == null) {
            String available = experiments.isEmpty() ? "none" : String.join(", ", experiments.keySet());
            System.err.println("synthloom: no experiment named '" + name + "' appeared within "
                    + config.pipeline_wait_seconds() + " s (available: " + available + ")");
            return Optional.empty();
        }
        ProgressPrinter printer = new ProgressPrinter(out, System.console() != null);
        ServiceRegistration<RunListener> registration = context.registerService(RunListener.class, printer, null);
        try {
            out.println("Running experiment " + name + ": pipeline " + experiment.pipeline() + ", variants "
                    + String.join(", ", experiment.variants()) + ", seeds " + experiment.seeds());
            ExperimentRun execution = experiment.start();
            String followed = null;
            RunState state = execution.state();
            while (!state.isTerminal() && deactivated.getCount() > 0) {
                Optional<Run> run = execution.currentRun();
                if (run.isPresent() && !run.get().id().equals(followed)) {
                    followed = run.get().id();
                    out.println("experiment " + name + " [" + execution.progress() + " done]: " + run.get().pipeline());
                    printer.follow(followed);
                }
                state = execution.await(Duration.ofMillis(250));
            }
            out.println();
            out.print(execution.summary());
            execution.table().ifPresent(table -> out.println("tables and plots in " + table.getParent()));
            return Optional.of(state);
        } catch (RuntimeException e) {
            System.err.println("synthloom: experiment " + name + " did not start: " + e.getMessage());
            LOG.error("experiment {} did not start", name, e);
            return Optional.of(RunState.FAILED);
        } finally {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework is stopping.
            }
        }
    }

    private Pipeline awaitPipeline(String name, Duration timeout) throws InterruptedException {
        return awaitService(pipelines, name, "pipeline", timeout);
    }

    private <T> T awaitService(Map<String, T> services, String name, String kind, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean announced = false;
        while (System.nanoTime() < deadline && deactivated.getCount() > 0) {
            T service = services.get(name);
            if (service != null) {
                return service;
            }
            if (!announced) {
                out.println("Waiting for " + kind + " " + name + " ...");
                announced = true;
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** Turns Ctrl-C (SIGINT, SIGTERM) into an orderly framework stop. */
    private void installShutdownHook() {
        Thread hook = new Thread(() -> {
            out.println();
            out.println("Stopping Synthloom ...");
            try {
                framework.stop();
                framework.waitForStop(SHUTDOWN_TIMEOUT.toMillis());
                out.println("Stopped.");
            } catch (Exception e) {
                System.err.println("synthloom: the framework did not stop cleanly: " + e);
            }
            out.flush();
        }, "synthloom-shutdown");
        shutdownHook = hook;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits until component states stop changing (plugins and configurations are being applied). */
    private void awaitSettled(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        String previous = "";
        int stableRounds = 0;
        while (System.nanoTime() < deadline && stableRounds < 3) {
            String snapshot = scr.getComponentDescriptionDTOs().stream()
                    .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                    .map(c -> c.description.name + c.state).sorted().collect(Collectors.joining());
            stableRounds = snapshot.equals(previous) ? stableRounds + 1 : 0;
            previous = snapshot;
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    StatusReport report() {
        double seconds = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        Bundle[] bundles = context.getBundles();
        long active = Arrays.stream(bundles).filter(b -> b.getState() == Bundle.ACTIVE).count();
        StatusReport report = new StatusReport(String.format(Locale.ROOT,
                "Synthloom %s ready in %.1f s  (Felix %s, %d of %d bundles active, Java %s)", version(), seconds,
                framework.getVersion(), active, bundles.length, System.getProperty("java.version")));
        DeviceService compute = devices;
        report.fact("compute", compute != null ? compute.describe()
                : "not available: the org.synthloom.djl bundle is not active (see the log)");
        consoleUrl().ifPresent(url -> report.fact("console", url));
        String watched = context.getProperty("felix.fileinstall.dir");
        if (watched != null) {
            for (String dir : watched.split(",")) {
                Path path = Path.of(dir.trim()).toAbsolutePath().normalize();
                report.fact("watching", path + (path.endsWith("plugins") ? "  (bundle jars: install, update, remove live)"
                        : path.endsWith("runtime-config") ? "  (.cfg / .config: applied live)" : ""));
            }
        }
        String inactiveBundles = Arrays.stream(bundles)
                .filter(b -> b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .map(b -> b.getSymbolicName() + " " + b.getVersion() + " (" + bundleState(b.getState()) + ")")
                .collect(Collectors.joining(", "));
        if (!inactiveBundles.isEmpty()) {
            report.fact("NOT ACTIVE", inactiveBundles);
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            String plugin = pluginLabel(description.properties);
            List<ComponentConfigurationDTO> configurations = new ArrayList<>(scr.getComponentConfigurationDTOs(description));
            if (configurations.isEmpty()) {
                boolean enabled = scr.isComponentEnabled(description);
                report.component(new StatusReport.Component(description.name, enabled ? "waiting" : "disabled", plugin,
                        enabled ? List.of("a configuration (" + String.join(", ", description.configurationPid) + ")")
                                : List.of()));
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                List<String> missing = new ArrayList<>();
                for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
                    missing.add(reference.name + (reference.target == null ? "" : " " + reference.target));
                }
                if (configuration.failure != null) {
                    missing.add("nothing: activation failed: " + configuration.failure.lines().findFirst().orElse(""));
                }
                report.component(new StatusReport.Component(description.name, componentState(configuration.state),
                        plugin, missing));
            }
        }
        pipelines.keySet().forEach(report::pipeline);
        experiments.keySet().forEach(report::experiment);
        return report;
    }

    /**
     * The web console's URL with its access token, if a console is running: it publishes it as the
     * service property {@value #CONSOLE_URL} (the runtime does not depend on the console bundle).
     */
    private Optional<String> consoleUrl() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(" + CONSOLE_URL + "=*)");
            return refs == null ? Optional.empty() : Optional.of(String.valueOf(refs[0].getProperty(CONSOLE_URL)));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pluginLabel(Map<String, Object> properties) {
        Object kind = properties.get(Plugins.KIND);
        Object name = properties.get(Plugins.NAME);
        if (kind != null && name != null) {
            return kind + "/" + name;
        }
        Object pipeline = properties.get(Pipeline.NAME_PROPERTY);
        return pipeline != null ? "pipeline/" + pipeline : "";
    }

    private static String componentState(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "active";
            case ComponentConfigurationDTO.SATISFIED -> "ready";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION, ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "waiting";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "failed";
            default -> "state " + state;
        };
    }

    private static String bundleState(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed, not resolved";
            case Bundle.RESOLVED -> "resolved, not started";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "state " + state;
        };
    }

    private String version() {
        String version = context.getBundle().getHeaders().get("Synthloom-Version");
        return version == null ? context.getBundle().getVersion().toString() : version;
    }
}
