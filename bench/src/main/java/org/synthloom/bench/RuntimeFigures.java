package org.synthloom.bench;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The figures measured against a real runtime: one {@code synthloom.jar} process started in a
 * fresh Synthloom home (a temporary folder with the checkout's {@code runtime-config/}, the console
 * on a free port). In order: start until the console's API answers, and again after an orderly stop
 * (the framework cache kept); the probe bundle copied into
 * {@code plugins/} and then replaced by a new version (hot-swap latency); Synth2's token-space and
 * pixel-space generation in two runs of a pipeline; a pipeline run through the console's API (its
 * {@code data_wait_fraction} metric); the process's peak resident memory over all of it. The
 * shards the run wrote are left for the WebDataset figure; {@link #close()} stops the runtime (an
 * orderly SIGTERM) and deletes the home.
 */
final class RuntimeFigures implements AutoCloseable {

    /** The pipeline the quick mode runs instead of the default demo: the same stages, tiny sizes. */
    static final String QUICK_PIPELINE = "bench-quick";

    /** The pipeline whose image stage gives Synth2's generation figures. */
    static final String SYNTH_PIPELINE = "bench-synth";

    /** Generates first, with other captions, so that neither measured run pays the first decoding. */
    static final String SYNTH_WARMUP_PIPELINE = "bench-synth-warmup";

    /**
     * The default maskgit instance's configuration: a factory configuration, as in the checkout's
     * runtime-config, where named instances beside it (maskgit-short) would make Declarative
     * Services ignore a plain {@code org.synthloom.maskgit.cfg}.
     */
    private static final String MASKGIT_CONFIG = "org.synthloom.maskgit-default.json";

    private static final Pattern CONSOLE = Pattern.compile("console\\s+(http://\\S+?)/\\?token=([0-9a-f]+)");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path home;
    private final Path runtimeJar;
    private final Figures figures;
    private final boolean quick;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> output = new ArrayList<>();
    private Process process;
    private String base;
    private String token;
    private long peakKb;
    private final List<Path> demoShards = new ArrayList<>();

    /**
     * @param checkout the Synthloom checkout (its {@code runtime-config/} is copied)
     * @param runtimeJar the runtime launcher jar
     */
    RuntimeFigures(Path checkout, Path runtimeJar, Figures figures, boolean quick) throws IOException {
        this.runtimeJar = runtimeJar;
        this.figures = figures;
        this.quick = quick;
        this.home = Files.createTempDirectory("synthloom-bench-");
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("data"));
        Path config = Files.createDirectories(home.resolve("runtime-config"));
        try (Stream<Path> files = Files.list(checkout.resolve("runtime-config"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, config.resolve(file.getFileName()));
                }
            }
        }
        // Other runtimes on the machine may hold the default port.
        Files.writeString(config.resolve("org.synthloom.console.cfg"), "port = 0\n");
        Files.writeString(config.resolve("org.synthloom.pipeline-" + QUICK_PIPELINE + ".json"), """
                {
                  "description": "bench --quick: shapes-clip's stages at tiny sizes",
                  "dataset.target": "(synthloom.name=shapes-world)",
                  "human.limit": 256,
                  "captioner.target": "(synthloom.name=template)",
                  "captions.per.concept": 1,
                  "generator.target": "(synthloom.name=shapes-renderer)",
                  "images.per.caption": 1,
                  "synthetic.ratio": 0.5,
                  "image.size": 64,
                  "recipe.target": "(synthloom.name=clip)",
                  "objective.target": "(synthloom.name=clip)",
                  "tokenizer.target": "(synthloom.name=bytes)",
                  "context.length": 64,
                  "batch.size": 32,
                  "train.steps": 20,
                  "warmup.steps": 2,
                  "log.every": 5,
                  "evaluator.target": "(synthloom.name=retrieval)",
                  "seed": 42
                }
                """);
        // Synth2's generation cost: the maskgit generator fitted in a pipeline on the human images'
        // VQ tokens. Generation time does not depend on how long the models trained, so the fits are
        // short; the architectures are the defaults. The retrieval evaluator needs embeddings the
        // captioner does not make, so evaluation is skipped: only the image stage is of interest.
        // The warm-up pipeline differs only in its number of captions: it shares the fits, and
        // its generation (new captions, so a new image stage) warms the decoding code paths.
        for (String[] pipeline : new String[][] {{SYNTH_PIPELINE, "2"}, {SYNTH_WARMUP_PIPELINE, "1"}}) {
            Files.writeString(config.resolve("org.synthloom.pipeline-" + pipeline[0] + ".json"), """
                    {
                      "description": "bench: Synth2's token-space generation (maskgit) at the default sizes, short fits",
                      "dataset.target": "(synthloom.name=shapes-world)",
                      "human.limit": %d,
                      "image.size": 32,
                      "image.tokenizer.target": "(synthloom.name=vqgan)",
                      "captioner.target": "(synthloom.name=class-prompt)",
                      "captions.per.concept": %s,
                      "generator.target": "(synthloom.name=maskgit)",
                      "images.per.caption": %d,
                      "generation.batch": 32,
                      "synthetic.ratio": 0.5,
                      "recipe.target": "(synthloom.name=captioner)",
                      "objective.target": "(synthloom.name=caption)",
                      "tokenizer.target": "(synthloom.name=bpe)",
                      "context.length": 32,
                      "batch.size": 8,
                      "train.steps": 1,
                      "warmup.steps": 0,
                      "evaluator.target": "(synthloom.name=retrieval)",
                      "seed": 42
                    }
                    """.formatted(quick ? 128 : 256, pipeline[1], quick ? 1 : 2));
        }
        Files.writeString(config.resolve("org.synthloom.vqgan.cfg"), "autoencoder.steps = 10\nsteps = 10\n");
        Files.writeString(config.resolve(MASKGIT_CONFIG), "{\"steps\": 10, \"output\": \"tokens\"}\n");
    }

    /** @return the shard folders of the pipeline {@link #pipeline} ran (its results.json names them) */
    List<Path> demoShards() {
        return List.copyOf(demoShards);
    }

    /** @return the temporary Synthloom home */
    Path home() {
        return home;
    }

    /** Starts the runtime in the fresh home and records the time until its console answers. */
    void start() throws IOException, InterruptedException {
        figures.value("runtime.start_to_console_s", launch(),
                "java -jar synthloom.jar --no-pipeline in a fresh home until GET /api/v1/health answers 200;"
                        + " includes the first start's framework cache");
    }

    /**
     * Stops the runtime (orderly) and starts it again in the same home, as an operator's every start
     * after the first: the framework cache is kept, so the bundles are not copied into it again.
     */
    void restart() throws IOException, InterruptedException {
        close();
        figures.value("runtime.restart_to_console_s", launch(),
                "java -jar synthloom.jar --no-pipeline again in the same home after an orderly stop until GET"
                        + " /api/v1/health answers 200; the framework cache of the first start is kept");
    }

    /** @return seconds from starting the runtime process until its console's health endpoint answers */
    private double launch() throws IOException, InterruptedException {
        if (!Files.isRegularFile(runtimeJar)) {
            throw new IOException("the runtime is not built (" + runtimeJar + " is missing): ./synthloom build");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Dlaunch.storage.dir=" + home.resolve("data/framework"),
                "-jar", runtimeJar.toString(), "--no-pipeline").directory(home.toFile()).redirectErrorStream(true);
        long started = System.nanoTime();
        Process launched = builder.start();
        process = launched;
        CompletableFuture<String[]> console = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(launched.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher m = CONSOLE.matcher(line);
                    if (m.find()) {
                        console.complete(new String[] {m.group(1), m.group(2)});
                    }
                }
            } catch (IOException e) {
                // The process ended; the waits below report it.
            }
            console.completeExceptionally(new IOException("the runtime ended before printing its console URL"));
        }, "bench-runtime-output");
        reader.setDaemon(true);
        reader.start();
        String[] url;
        try {
            url = console.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("no console URL from the runtime within " + START_TIMEOUT.toSeconds() + " s: "
                    + tail(), e);
        }
        base = url[0] + "/api/v1/";
        token = url[1];
        long deadline = started + START_TIMEOUT.toNanos();
        while (true) {
            sampleMemory();
            try {
                if (get("health").statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IOException("the console did not answer: " + tail());
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** Copies the probe into plugins/, then a new version over it, and times the update. */
    void hotSwap() throws IOException, InterruptedException {
        Path plugins = home.resolve("plugins");
        Path announcement = home.resolve("data/bench/probe.json");
        double install = deploy(plugins, "1.0.0.a", announcement);
        List<Double> updates = new ArrayList<>();
        int rounds = quick ? 1 : 3;
        for (int i = 0; i < rounds; i++) {
            updates.add(deploy(plugins, "1.0.0." + (char) ('b' + i), announcement));
        }
        figures.value("runtime.hot_swap_ms", Stats.median(updates), String.format(Locale.ROOT,
                "probe bundle jar replaced in plugins/ until its new version's component is active,"
                        + " median of %d; first install %.0f ms; FileInstall polls every 500 ms", rounds, install));
    }

    private double deploy(Path plugins, String version, Path announcement) throws IOException, InterruptedException {
        Path part = home.resolve("probe.jar.part");
        Files.write(part, ProbeJar.build(version));
        long start = System.nanoTime();
        Files.move(part, plugins.resolve("bench-probe.jar"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(announcement)) {
                try {
                    JsonObject json = JsonParser.parseString(Files.readString(announcement)).getAsJsonObject();
                    if (version.equals(json.get("version").getAsString())) {
                        return (System.nanoTime() - start) / 1e6;
                    }
                } catch (IOException | RuntimeException e) {
                    // being replaced
                }
            }
            sampleMemory();
            Thread.sleep(2);
        }
        throw new IOException("the probe " + version + " did not become active within 60 s: " + tail());
    }

    /**
     * Synth2's generation cost, same captions, same model, one invocation: {@value #SYNTH_PIPELINE}
     * runs with maskgit writing VQ tokens, then again with {@code output = pixels} (each grid decoded
     * to pixels and encoded again with the VQ-GAN), after a warm-up run of
     * {@value #SYNTH_WARMUP_PIPELINE}. The measured runs reuse the human, token and
     * caption stages, and its fit of the generator is the same seeded fit, so only the output space
     * differs. The figure is the image stage's {@code synthetic_pairs_per_second}.
     */
    void synth() throws IOException, InterruptedException {
        run(SYNTH_WARMUP_PIPELINE);
        JsonObject tokens = metrics(run(SYNTH_PIPELINE));
        Files.writeString(home.resolve("runtime-config").resolve(MASKGIT_CONFIG), "{\"steps\": 10, \"output\": \"pixels\"}\n");
        awaitProperty("maskgit", "output", "pixels");
        JsonObject pixels = metrics(run(SYNTH_PIPELINE));
        double tokenRate = last(tokens, "synthetic_pairs_per_second");
        double pixelRate = last(pixels, "synthetic_pairs_per_second");
        String how = String.format(Locale.ROOT, "maskgit (default architecture, 8 decoding steps) in pipeline %s,"
                + " %.0f pairs from class-prompt captions, 32x32 images as 8x8 VQ-GAN tokens", SYNTH_PIPELINE,
                last(tokens, "synthetic_pairs"));
        figures.value("synth.pairs_per_s_token_space", tokenRate, how);
        figures.value("synth.pairs_per_s_pixel_space", pixelRate, how + "; each grid decoded to pixels and encoded"
                + String.format(Locale.ROOT, " again (token space %.2fx faster)", tokenRate / pixelRate));
    }

    private static double last(JsonObject metrics, String name) throws IOException {
        JsonElement points = metrics.get(name);
        if (points == null || points.getAsJsonArray().isEmpty()) {
            throw new IOException("the run reported no " + name + " metric");
        }
        JsonArray all = points.getAsJsonArray();
        return ((JsonArray) all.get(all.size() - 1)).get(1).getAsDouble();
    }

    /** Waits until the component named {@code plugin} has a configuration with {@code key = value}. */
    private void awaitProperty(String plugin, String key, String value) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonObject body = JsonParser.parseString(get("components").body()).getAsJsonObject();
            for (JsonElement c : body.getAsJsonArray("components")) {
                JsonObject component = c.getAsJsonObject();
                if (component.has("pluginName") && plugin.equals(component.get("pluginName").getAsString())) {
                    for (JsonElement conf : component.getAsJsonArray("configurations")) {
                        JsonObject properties = conf.getAsJsonObject().getAsJsonObject("properties");
                        if (properties != null && properties.has(key) && value.equals(properties.get(key).getAsString())
                                && "active".equalsIgnoreCase(conf.getAsJsonObject().get("state").getAsString())) {
                            return;
                        }
                    }
                }
            }
            sampleMemory();
            Thread.sleep(100);
        }
        throw new IOException("the " + plugin + " component did not take " + key + " = " + value + " within 30 s: "
                + tail());
    }

    /**
     * Runs a pipeline through the console's API to its end and records its data-wait fraction.
     *
     * @param pipeline the pipeline's name
     */
    void pipeline(String pipeline) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        String run = run(pipeline);
        double seconds = (System.nanoTime() - begin) / 1e9;
        Path results = home.resolve("data/runs").resolve(run).resolve("results.json");
        if (Files.isRegularFile(results)) {
            JsonObject summary = JsonParser.parseString(Files.readString(results)).getAsJsonObject();
            for (String key : List.of("human.shards", "synthetic.shards")) {
                if (summary.has(key) && summary.get(key).isJsonPrimitive()) {
                    demoShards.add(Path.of(summary.get(key).getAsString()));
                }
            }
        }
        JsonElement waits = metrics(run).get("data_wait_fraction");
        if (waits == null) {
            figures.na("train.data_wait_fraction", "run " + run + " reported no data_wait_fraction metric");
        } else {
            List<Double> values = new ArrayList<>();
            for (JsonElement point : waits.getAsJsonArray()) {
                values.add(((JsonArray) point).get(1).getAsDouble());
            }
            figures.value("train.data_wait_fraction", Stats.median(values), String.format(Locale.ROOT,
                    "pipeline %s: time the training thread waited for the next batch / step time, median of %d"
                            + " log windows; run took %.0f s", pipeline, values.size(), seconds));
        }
        figures.value("runtime.demo_peak_rss_mb", peakKb / 1024.0, "VmHWM of the runtime process after start,"
                + " hot swaps and pipeline " + pipeline + (quick ? " (--quick: not the default demo)" : ""));
    }

    /** Starts a pipeline through the console's API and waits for the run to finish; returns its id. */
    private String run(String pipeline) throws IOException, InterruptedException {
        HttpResponse<String> started = post("pipelines/" + pipeline + "/start");
        if (started.statusCode() != 201) {
            throw new IOException("starting " + pipeline + " answered " + started.statusCode() + ": " + started.body());
        }
        String run = JsonParser.parseString(started.body()).getAsJsonObject().get("id").getAsString();
        String state = "";
        while (!state.equals("FINISHED") && !state.equals("FAILED")) {
            for (int i = 0; i < 10; i++) {
                sampleMemory();
                Thread.sleep(100);
            }
            HttpResponse<String> r = get("runs/" + run);
            if (r.statusCode() == 200) {
                state = JsonParser.parseString(r.body()).getAsJsonObject().get("state").getAsString();
            }
            if (!process.isAlive()) {
                throw new IOException("the runtime ended during run " + run + ": " + tail());
            }
            if (state.equals("PAUSED")) {
                throw new IOException("run " + run + " paused (a component it needs is missing): " + tail());
            }
        }
        if (state.equals("FAILED")) {
            throw new IOException("run " + run + " of " + pipeline + " failed: " + tail());
        }
        return run;
    }

    /** @return a run's metrics: name to an array of [step, value] points */
    private JsonObject metrics(String run) throws IOException, InterruptedException {
        return JsonParser.parseString(get("runs/" + run + "/metrics").body()).getAsJsonObject().getAsJsonObject("metrics");
    }

    /** Keeps the process's resident-memory high-water mark (VmHWM, Linux). */
    private void sampleMemory() {
        if (process == null) {
            return;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: the last sample stands
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Synthloom-Token", token)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Synthloom-Token", token)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** @return the runtime's last lines of output, for messages */
    String tail() {
        synchronized (output) {
            List<String> last = output.subList(Math.max(0, output.size() - 5), output.size());
            return last.isEmpty() ? "(no output)" : String.join(" | ", last);
        }
    }

    /** Stops the runtime (orderly, then forcibly); the home stays until {@link #deleteHome()}. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes the temporary home. */
    void deleteHome() throws IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
