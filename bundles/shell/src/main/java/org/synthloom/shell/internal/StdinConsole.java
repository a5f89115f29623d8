package org.synthloom.shell.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line-based Gogo console on the terminal, only when {@code ./synthloom --shell} asked for it:
 * the runtime's main thread draws the progress bar, so the console reads stdin on a thread of its
 * own, and closing it (Ctrl-D, {@code exit}) never stops the framework (Ctrl-C does).
 * Without {@code --shell} it does nothing, so a runtime started without a terminal, or with stdin
 * at its end, is not affected.
 */
@Component(immediate = true)
public class StdinConsole {

    /** The option that asks for the console. */
    static final String OPTION = "--shell";
    static final String PROMPT = "synthloom> ";
    static final String BANNER = "Synthloom shell: components [kind] | runs | run <pipeline> | pause|resume|stop <run> |"
            + " swap <pipeline> <stage> <name-or-filter> | help | exit (closes the shell; Ctrl-C stops Synthloom)";
    private static final Logger LOG = LoggerFactory.getLogger(StdinConsole.class);

    private final CommandSession session;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param processor Gogo's command processor
     * @param launcher the bnd launcher's service, whose {@code launcher.arguments} say whether {@code --shell} was given
     */
    @Activate
    public StdinConsole(@Reference(name = "processor") CommandProcessor processor,
            @Reference(name = "launcher", service = Object.class, target = "(launcher.ready=true)")
            Map<String, Object> launcher) {
        Object args = launcher.get("launcher.arguments");
        boolean asked = args instanceof String[] strings && List.of(strings).contains(OPTION);
        if (!asked) {
            this.session = null;
            this.thread = null;
            return;
        }
        this.session = processor.createSession(System.in, System.out, System.err);
        // Unqualified names find our commands first: gogo.command has its own "stop" (of a bundle).
        session.put("SCOPE", "synthloom:*");
        this.thread = new Thread(() -> {
            try {
                loop(new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())), System.out,
                        this::execute, () -> closed);
            } catch (IOException e) {
                LOG.warn("the shell stopped reading the terminal: {}", e.toString());
            }
        }, "synthloom-shell");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() {
        closed = true;
        if (session != null) {
            session.close();
        }
        // A thread blocked reading stdin cannot be interrupted; it is a daemon and ends at its next line.
    }

    private String execute(String line) throws Exception {
        Object result = session.execute(line);
        return result == null ? null : String.valueOf(session.format(result, Converter.INSPECT));
    }

    /** Executes one line and returns what to print, or null for nothing. */
    @FunctionalInterface
    interface Executor {
        String execute(String line) throws Exception;
    }

    /**
     * Reads lines until the end of input or {@code exit}, executing each and printing its answer, or
     * the error's message (a mistyped command does not close the console).
     */
    static void loop(BufferedReader in, PrintStream out, Executor executor, BooleanSupplier closed) throws IOException {
        out.println(BANNER);
        out.print(PROMPT);
        out.flush();
        for (String line = in.readLine(); line != null && !closed.getAsBoolean(); line = in.readLine()) {
            String command = line.trim();
            if (command.equals("exit") || command.equals("quit")) {
                break;
            }
            if (!command.isEmpty()) {
                try {
                    String answer = executor.execute(command);
                    if (answer != null && !answer.isEmpty()) {
                        out.println(answer.endsWith("\n") ? answer.substring(0, answer.length() - 1) : answer);
                    }
                } catch (Exception e) {
                    out.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                }
            }
            out.print(PROMPT);
            out.flush();
        }
        out.println();
        out.println("shell closed; Synthloom keeps running (Ctrl-C stops it)");
        out.flush();
    }
}
