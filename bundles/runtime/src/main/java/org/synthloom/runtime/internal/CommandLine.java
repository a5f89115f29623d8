package org.synthloom.runtime.internal;

import java.util.List;
import java.util.Optional;

/** The runtime's command-line options, parsed from the arguments the launcher was given. */
final class CommandLine {

    static final String USAGE = String.join("\n",
            "Usage: synthloom [options]",
            "",
            "Starts the Synthloom runtime (OSGi framework, plugins, configurations), runs a pipeline",
            "with a progress bar, and keeps the runtime up until Ctrl-C.",
            "",
            "Options:",
            "  -p, --pipeline NAME   run the pipeline NAME instead of the configured default",
            "  -e, --experiment NAME run the experiment NAME (every variant with every seed) and print its table",
            "      --no-pipeline     start the runtime without running a pipeline",
            "      --exit            exit when the pipeline (or experiment) ends: status 0 if it finished, 1 if not",
            "      --list            print the components, pipelines and experiments, then exit",
            "      --shell           read operator commands from the terminal (components, runs, run, pause,",
            "                        resume, stop, swap; 'help' lists them); Ctrl-D closes the shell only",
            "      --version         print the version, then exit",
            "  -h, --help            print this help, then exit",
            "",
            "The working directory is the Synthloom home:",
            "  plugins/          bundle jars here are installed, updated and removed while running",
            "  runtime-config/   configuration files (.cfg, .config) here are applied while running",
            "  data/             runs, samples, checkpoints, logs and the framework cache",
            "");

    enum Action { RUN, LIST, HELP, VERSION }

    private final Action action;
    private final String pipeline;
    private final String experiment;
    private final boolean noPipeline;
    private final boolean exitWhenDone;

    private CommandLine(Action action, String pipeline, String experiment, boolean noPipeline, boolean exitWhenDone) {
        this.action = action;
        this.pipeline = pipeline;
        this.experiment = experiment;
        this.noPipeline = noPipeline;
        this.exitWhenDone = exitWhenDone;
    }

    /**
     * Parses arguments.
     *
     * @throws IllegalArgumentException with a message fit for the user when they are wrong
     */
    static CommandLine parse(List<String> args) {
        Action action = Action.RUN;
        String pipeline = null;
        String experiment = null;
        boolean noPipeline = false;
        boolean exitWhenDone = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-h", "--help" -> action = Action.HELP;
                case "--version" -> action = action == Action.HELP ? action : Action.VERSION;
                case "--list" -> action = action == Action.RUN ? Action.LIST : action;
                case "--no-pipeline" -> noPipeline = true;
                case "--exit" -> exitWhenDone = true;
                // Read by the shell bundle's console, which asks the launcher for the arguments itself.
                case "--shell" -> { }
                case "-p", "--pipeline" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
                        throw new IllegalArgumentException(arg + " needs a pipeline name");
                    }
                    pipeline = args.get(++i);
                }
                case "-e", "--experiment" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
                        throw new IllegalArgumentException(arg + " needs an experiment name");
                    }
                    experiment = args.get(++i);
                }
                default -> {
                    if (arg.startsWith("--pipeline=")) {
                        pipeline = arg.substring("--pipeline=".length());
                        if (pipeline.isEmpty()) {
                            throw new IllegalArgumentException("--pipeline= needs a pipeline name");
                        }
                    } else if (arg.startsWith("--experiment=") && arg.length() > "--experiment=".length()) {
                        experiment = arg.substring("--experiment=".length());
                    } else {
                        throw new IllegalArgumentException("unknown option '" + arg + "'");
                    }
                }
            }
        }
        if (noPipeline && pipeline != null) {
            throw new IllegalArgumentException("--no-pipeline and --pipeline contradict each other");
        }
        if (experiment != null && (pipeline != null || noPipeline)) {
            throw new IllegalArgumentException("--experiment runs pipelines of its own: leave out --pipeline and --no-pipeline");
        }
        return new CommandLine(action, pipeline, experiment, noPipeline, exitWhenDone);
    }

    Action action() {
        return action;
    }

    /** @return the experiment to run, if one was asked for */
    Optional<String> experiment() {
        return Optional.ofNullable(experiment);
    }

    /** @return the pipeline to run, or empty for none, given the configured default */
    Optional<String> pipelineToRun(String configuredDefault) {
        if (noPipeline || experiment != null) {
            return Optional.empty();
        }
        if (pipeline != null) {
            return Optional.of(pipeline);
        }
        return configuredDefault == null || configuredDefault.isBlank() ? Optional.empty()
                : Optional.of(configuredDefault.trim());
    }

    boolean exitWhenDone() {
        return exitWhenDone;
    }
}
