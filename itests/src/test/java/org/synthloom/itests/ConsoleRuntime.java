package org.synthloom.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * The real runtime ({@code java -jar synthloom.jar --no-pipeline}) in a fresh Synthloom home with
 * the console on a free port, as a user starts it; the console's URL and token are read from the
 * ready report, as a user reads them.
 */
final class ConsoleRuntime implements AutoCloseable {

    private static final Pattern CONSOLE_LINE = Pattern.compile("^  console +(http://127\\.0\\.0\\.1:(\\d+)/)\\?token=([0-9a-f]{64})$");

    final Path home;
    final Process process;
    final List<String> output;
    final String base;
    final String token;
    /** From the process start to the console's first answer, and to the ready report. */
    final Duration answered;
    final Duration ready;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConsoleRuntime(Path home, Process process, List<String> output, String base, String token, Duration answered,
            Duration ready) {
        this.home = home;
        this.process = process;
        this.output = output;
        this.base = base;
        this.token = token;
        this.answered = answered;
        this.ready = ready;
    }

    /**
     * Starts the runtime in a fresh {@code itest-work/<name>} with the small test pipeline and the
     * given console configuration lines (port 0 is always set).
     */
    static ConsoleRuntime start(String name, String... consoleConfig) throws Exception {
        Path home = Path.of(System.getProperty("synthloom.itest.work"), name);
        Pipelines.delete(home);
        Path config = Files.createDirectories(home.resolve("runtime-config"));
        Files.createDirectories(home.resolve("plugins"));
        Pipelines.install("org.synthloom.pipeline-it-small.json", config);
        try (var in = ConsoleRuntime.class.getResourceAsStream("/itest-logging.cfg")) {
            Files.copy(in, config.resolve("org.ops4j.pax.logging.cfg"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(config.resolve("org.synthloom.console.cfg"), "port = 0\n" + String.join("\n", consoleConfig) + "\n");
        return restart(home);
    }

    /** Starts the runtime again in a home it ran in before (its framework cache and token kept). */
    static ConsoleRuntime restart(Path home) throws Exception {
        Path info = home.resolve("data/console/console.json");
        Files.deleteIfExists(info);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(java.toString(), "-Dlaunch.storage.dir=" + home.resolve("data/framework"), "-jar",
                System.getProperty("synthloom.runtime.jar"), "--no-pipeline").directory(home.toFile()).redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        long[] readyAt = {0};
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (readyAt[0] == 0 && line.startsWith("Synthloom ") && line.contains(" ready in ")) {
                        readyAt[0] = System.nanoTime();
                    }
                    output.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, "runtime-output-" + home.getFileName());
        reader.setDaemon(true);
        reader.start();
        // The console writes its address (no token) into the data directory as soon as it listens;
        // it is probed every 10 ms from the start of the process.
        HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Duration answered = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (answered == null && System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(info)) {
                try {
                    int port = JsonParser.parseString(Files.readString(info)).getAsJsonObject().get("port").getAsInt();
                    HttpResponse<String> r = probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        answered = Duration.ofNanos(System.nanoTime() - started);
                    }
                } catch (IOException | RuntimeException notYet) {
                    // not listening yet, or the file is being written
                }
            }
            if (answered == null) {
                Thread.sleep(10);
            }
        }
        Matcher console = null;
        while (System.nanoTime() < deadline && process.isAlive() && console == null) {
            for (String line : output) {
                Matcher m = CONSOLE_LINE.matcher(line);
                if (m.matches()) {
                    console = m;
                }
            }
            Thread.sleep(20);
        }
        if (answered == null || console == null || readyAt[0] == 0) {
            process.destroyForcibly();
            throw new AssertionError("the runtime did not print its console URL; output:\n" + String.join("\n", output));
        }
        ConsoleRuntime runtime = new ConsoleRuntime(home, process, output, console.group(1), console.group(3), answered,
                Duration.ofNanos(readyAt[0] - started));
        return runtime;
    }

    /** The response of a call: status and body. */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonElement json() {
            return JsonParser.parseString(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Reply call(String method, String path, String contentType, byte[] body, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.substring(0, base.length() - 1) + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (withToken) {
            b.header("X-Synthloom-Token", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    Reply get(String path) throws Exception {
        return call("GET", path, null, null, true);
    }

    Reply post(String path, String json) throws Exception {
        return call("POST", path, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The exported jar of a bundle of the default composition, e.g. {@code org.synthloom.objectives}. */
    static byte[] exportedJar(String symbolicName) throws IOException {
        try (var jars = Files.list(Compositions.bundlesOf("synthloom"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith(symbolicName + "-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + symbolicName + " among the exported bundles"));
            return Files.readAllBytes(jar);
        }
    }

    /** Stops the runtime as Ctrl-C does (SIGTERM), and kills it if it does not stop in time. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
