package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The console's JSON API over real HTTP, against the real runtime: the URL and token of the ready
 * report, token and host checks, pipelines from Metatype forms, runs with their event stream, plugin
 * uploads, and bad requests, each of which gets a clear 4xx and changes nothing.
 */
public class ConsoleApiIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static ConsoleRuntime runtime;

    private static ConsoleRuntime first;

    /** Starts the runtime twice: first in a new home (its framework cache is filled), then as users restart it. */
    @BeforeClass
    public static void startRuntime() throws Exception {
        first = ConsoleRuntime.start("ConsoleApiIT", "upload.max.mebibytes = 1");
        first.close();
        runtime = ConsoleRuntime.restart(first.home);
        long jetty = com.google.gson.JsonParser.parseString(Files.readString(runtime.home.resolve("data/console/console.json")))
                .getAsJsonObject().get("serverStartMillis").getAsLong();
        System.out.printf("console: first start: answered %d ms after the process started, ready report at %d ms; "
                + "restart: answered at %d ms, ready report at %d ms; Jetty started in %d ms%n", first.answered.toMillis(),
                first.ready.toMillis(), runtime.answered.toMillis(), runtime.ready.toMillis(), jetty);
    }

    @AfterClass
    public static void stopRuntime() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static JsonObject ok(ConsoleRuntime.Reply reply) {
        assertTrue(reply.toString(), reply.status() >= 200 && reply.status() < 300);
        return reply.json().getAsJsonObject();
    }

    /** Asserts a refusal: the status, a JSON error whose message contains the text. */
    private static JsonObject refused(ConsoleRuntime.Reply reply, int status, String text) {
        assertEquals(reply.toString(), status, reply.status());
        JsonObject error = reply.json().getAsJsonObject().getAsJsonObject("error");
        assertNotNull(reply.toString(), error);
        String all = error.toString();
        assertTrue("'" + text + "' in " + all, all.contains(text));
        return error;
    }

    private static Set<String> pipelineNames() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonElement p : ok(runtime.get("/api/v1/pipelines")).getAsJsonArray("pipelines")) {
            names.add(p.getAsJsonObject().get("name").getAsString());
        }
        return names;
    }

    /** Sends bytes exactly as written (no client normalises the path or sets the host). */
    private static String raw(String request) throws IOException {
        URI uri = URI.create(runtime.base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static String rawGet(String path, String host) throws IOException {
        return raw("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-Synthloom-Token: " + runtime.token
                + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    public void theReadyReportPrintsTheUrlWithItsTokenAndTheConsoleAnswersBeforeIt() throws Exception {
        Path tokenFile = runtime.home.resolve("data/console/token");
        assertEquals(runtime.token, Files.readString(tokenFile).strip());
        assertEquals("the token of the first start is kept", first.token, runtime.token);
        assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(tokenFile));
        JsonObject info = ok(new ConsoleRuntime.Reply(200, Files.readString(runtime.home.resolve("data/console/console.json")), null));
        // Ordered by the clock of this machine, not by timing a probe (whose own latency under load
        // would say nothing about the runtime): the server accepted connections before the report.
        long listening = info.get("listeningSinceEpochMillis").getAsLong();
        assertTrue("the console listened from " + listening + ", the ready report was read at " + runtime.readyEpochMillis
                + " (first answer after " + runtime.answered + ", ready after " + runtime.ready + ")",
                listening <= runtime.readyEpochMillis);
        assertEquals(runtime.base, info.get("url").getAsString());
        assertFalse("the info file holds no token", info.toString().contains(runtime.token));
        ConsoleRuntime.Reply page = runtime.call("GET", "/", null, null, false);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<title>Synthloom console</title>"));
        String csp = page.raw().headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp, csp.contains("script-src 'self'"));
        JsonObject openapi = ok(runtime.call("GET", "/api/v1/openapi.json", null, null, false));
        assertEquals("3.0.3", openapi.get("openapi").getAsString());
        assertTrue(openapi.getAsJsonObject("paths").has("/api/v1/runs/{id}/pause"));
    }

    @Test
    public void everyCallNeedsTheTokenAndChangesNeedItInTheHeader() throws Exception {
        refused(runtime.call("GET", "/api/v1/health", null, null, false), 401, "access token is missing");
        refused(runtime.call("GET", "/api/v1/health?token=" + "0".repeat(64), null, null, false), 401, "wrong");
        assertEquals(200, runtime.call("GET", "/api/v1/health?token=" + runtime.token, null, null, false).status());
        Set<String> before = pipelineNames();
        String body = "{\"name\":\"sneaky\",\"properties\":{}}";
        // A cross-site form can put the token in a URL but cannot set a header: refused.
        refused(runtime.call("POST", "/api/v1/pipelines?token=" + runtime.token, "application/json",
                body.getBytes(StandardCharsets.UTF_8), false), 401, "X-Synthloom-Token header");
        HttpRequest wrong = HttpRequest.newBuilder(URI.create(runtime.base + "api/v1/pipelines"))
                .header("X-Synthloom-Token", runtime.token.substring(1) + "0").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = runtime.http.send(wrong, HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals(before, pipelineNames());
        // A page on another host name that resolves here (DNS rebinding) is refused.
        String foreign = rawGet("/api/v1/health", "evil.example:" + URI.create(runtime.base).getPort());
        assertTrue(foreign, foreign.startsWith("HTTP/1.1 403"));
        assertTrue(foreign, foreign.contains("127.0.0.1, localhost or [::1] only"));
    }

    @Test
    public void badPipelineSubmissionsAreRefusedFieldByFieldAndChangeNothing() throws Exception {
        Set<String> before = pipelineNames();
        refused(runtime.post("/api/v1/pipelines", "{\"name\": \"x\", properties: "), 400, "not valid JSON");
        refused(runtime.post("/api/v1/pipelines", "[1, 2]"), 400, "must be a JSON object");
        refused(runtime.post("/api/v1/pipelines", "{\"properties\": {}}"), 400, "'name' is missing");
        refused(runtime.post("/api/v1/pipelines", "{\"name\": 7}"), 400, "'name' must be a string");
        refused(runtime.post("/api/v1/pipelines", "{\"name\": \"../../etc\"}"), 400, "not a plain name");
        refused(runtime.call("POST", "/api/v1/pipelines", "text/plain", "{\"name\":\"t\"}".getBytes(StandardCharsets.UTF_8), true),
                415, "application/json");
        JsonObject error = refused(runtime.post("/api/v1/pipelines", "{\"name\": \"bad\", \"properties\": {"
                + "\"batch.size\": \"sixteen\", \"train.steps\": 0, \"synthetic.ratio\": 1.5, \"resize.mode\": \"stretch\","
                + "\"concepts\": \"red circle\", \"seed\": 1.5, \"no.such\": 1}}"), 400, "values are not valid");
        List<String> details = new ArrayList<>();
        error.getAsJsonArray("details").forEach(d -> details.add(d.getAsString()));
        String all = String.join("\n", details);
        assertTrue(all, all.contains("batch.size: expected an integer, got a string"));
        assertTrue(all, all.contains("train.steps: '0' is less than minimum"));
        assertTrue(all, all.contains("synthetic.ratio: '1.5' is greater than maximum"));
        assertTrue(all, all.contains("resize.mode: 'stretch'"));
        assertTrue(all, all.contains("concepts: expected a list"));
        assertTrue(all, all.contains("seed: expected an integer, got 1.5"));
        assertTrue(all, all.contains("no.such: not a property of a pipeline"));
        assertEquals(7, details.size());
        assertEquals("nothing was created", before, pipelineNames());
        refused(runtime.post("/api/v1/pipelines", "{\"name\": \"it-small\"}"), 409, "exists already");
        refused(runtime.call("PUT", "/api/v1/pipelines/it-small", "application/json",
                "{\"properties\": {\"batch.size\": -4}}".getBytes(StandardCharsets.UTF_8), true), 400, "less than minimum");
        assertEquals(16, ok(runtime.get("/api/v1/pipelines/it-small")).getAsJsonObject("properties").get("batch.size").getAsInt());
    }

    @Test
    public void pipelinesAreCreatedEditedClonedAndDeletedWithTheirMetatypeForm() throws Exception {
        JsonObject schema = ok(runtime.get("/api/v1/pipelines/schema"));
        JsonObject batch = null;
        for (JsonElement f : schema.getAsJsonArray("fields")) {
            if (f.getAsJsonObject().get("id").getAsString().equals("batch.size")) {
                batch = f.getAsJsonObject();
            }
        }
        assertNotNull(batch);
        assertEquals("integer", batch.get("type").getAsString());
        assertEquals(64, batch.get("default").getAsInt());
        JsonArray generators = schema.getAsJsonObject("choices").getAsJsonArray("generator.target");
        assertTrue(generators.toString(), generators.toString().contains("(synthloom.name=shapes-renderer)"));

        JsonObject created = ok(runtime.post("/api/v1/pipelines", "{\"name\": \"api-made\", \"properties\": "
                + "{\"description\": \"made <b>over</b> HTTP\", \"train.steps\": 12, \"concepts\": [\"red circle\", \"blue star\"]}}"));
        assertEquals("api-made", created.get("name").getAsString());
        assertTrue(created.get("registered").getAsBoolean());
        assertEquals(0, created.getAsJsonArray("problems").size());
        ConsoleRuntime.Reply raw = runtime.get("/api/v1/pipelines/api-made");
        assertFalse("HTML in JSON strings is escaped: " + raw.body(), raw.body().contains("<b>"));
        assertEquals("made <b>over</b> HTTP", ok(raw).getAsJsonObject("properties").get("description").getAsString());

        JsonObject edited = ok(runtime.call("PUT", "/api/v1/pipelines/api-made", "application/json",
                "{\"properties\": {\"train.steps\": 24, \"epochs\": 2}}".getBytes(StandardCharsets.UTF_8), true));
        assertEquals(24, edited.getAsJsonObject("properties").get("train.steps").getAsInt());
        // A configuration Metatype accepts but the engine cannot run is saved with the engine's reasons.
        assertTrue(edited.toString(), edited.getAsJsonArray("problems").toString().contains("human.limit"));

        ok(runtime.post("/api/v1/pipelines/api-made/clone", "{\"name\": \"api-copy\"}"));
        assertEquals(24, ok(runtime.get("/api/v1/pipelines/api-copy")).getAsJsonObject("properties").get("train.steps").getAsInt());
        refused(runtime.call("DELETE", "/api/v1/pipelines/it-small", null, null, true), 409, "delete that file");
        ok(runtime.call("DELETE", "/api/v1/pipelines/api-copy", null, null, true));
        ok(runtime.call("DELETE", "/api/v1/pipelines/api-made", null, null, true));
        refused(runtime.get("/api/v1/pipelines/api-made"), 404, "no pipeline configuration named api-made");
    }

    private static byte[] bundleJar(String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("README.txt"));
            jar.write("a test bundle".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static List<String> pluginFiles() throws IOException {
        try (Stream<Path> files = Files.list(runtime.home.resolve("plugins"))) {
            List<String> names = new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
            Collections.sort(names);
            return names;
        }
    }

    private static ConsoleRuntime.Reply upload(byte[] jar) throws Exception {
        return runtime.call("POST", "/api/v1/plugins", "application/java-archive", jar, true);
    }

    @Test
    public void pluginsAreInstalledUpdatedAndUninstalledByUploadAndBadUploadsAreRefused() throws Exception {
        refused(upload("not a jar at all".getBytes(StandardCharsets.UTF_8)), 415, "not a jar");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("hello.txt"));
            z.write(1);
        }
        refused(upload(zip.toByteArray()), 400, "no META-INF/MANIFEST.MF");
        refused(upload(bundleJar(null, "1.0.0")), 400, "no Bundle-SymbolicName");
        refused(upload(bundleJar("org.synthloom.itest.tiny", "not.a.version.at.all")), 400, "not an OSGi version");
        byte[] large = new byte[(1 << 20) + 1024];
        System.arraycopy(bundleJar("org.synthloom.itest.large", "1.0.0"), 0, large, 0, 100);
        refused(upload(large), 413, "more than the limit");
        refused(upload(bundleJar("org.synthloom.api", "9.9.9")), 409, "infrastructure");
        assertEquals("nothing was written to plugins/", List.of(), pluginFiles());

        JsonObject installed = ok(upload(bundleJar("org.synthloom.itest.tiny", "1.0.0")));
        assertEquals("installed", installed.get("action").getAsString());
        assertEquals("ACTIVE", installed.getAsJsonObject("bundle").get("state").getAsString());
        assertEquals(List.of("org.synthloom.itest.tiny.jar"), pluginFiles());
        long id = installed.getAsJsonObject("bundle").get("id").getAsLong();
        System.out.println("console: plugin upload to active bundle in " + installed.get("millis").getAsLong() + " ms");

        JsonObject updated = ok(upload(bundleJar("org.synthloom.itest.tiny", "1.0.1")));
        assertEquals("updated", updated.get("action").getAsString());
        assertEquals(id, updated.getAsJsonObject("bundle").get("id").getAsLong());
        assertEquals("1.0.1", updated.getAsJsonObject("bundle").get("version").getAsString());
        System.out.println("console: plugin update by upload to active in " + updated.get("millis").getAsLong() + " ms");
        refused(runtime.call("POST", "/api/v1/bundles/" + id + "/update", "application/java-archive",
                bundleJar("org.synthloom.itest.other", "2.0.0"), true), 400, "not org.synthloom.itest.tiny");

        JsonObject activity = ok(runtime.get("/api/v1/activity"));
        assertTrue(activity.toString(), activity.toString().contains("org.synthloom.itest.tiny 1.0.1"));
        JsonObject removed = ok(runtime.call("DELETE", "/api/v1/bundles/" + id, null, null, true));
        assertTrue(removed.get("uninstalled").getAsBoolean());
        assertEquals(List.of(), pluginFiles());
        refused(runtime.call("DELETE", "/api/v1/bundles/0", null, null, true), 409, "infrastructure");
    }

    @Test
    public void bundlesStartAndStopButInfrastructureIsProtected() throws Exception {
        long captioners = -1;
        long store = -1;
        for (JsonElement b : ok(runtime.get("/api/v1/bundles")).getAsJsonArray("bundles")) {
            String name = b.getAsJsonObject().get("symbolicName").getAsString();
            if (name.equals("org.synthloom.captioners")) {
                captioners = b.getAsJsonObject().get("id").getAsLong();
            } else if (name.equals("org.synthloom.store")) {
                store = b.getAsJsonObject().get("id").getAsLong();
            }
        }
        assertEquals("RESOLVED", ok(runtime.post("/api/v1/bundles/" + captioners + "/stop", null)).get("state").getAsString());
        JsonObject health = ok(runtime.get("/api/v1/health"));
        assertTrue(health.getAsJsonObject("device").get("description").getAsString().startsWith("PyTorch"));
        assertTrue(health.getAsJsonObject("disk").get("usable").getAsLong() > 0);
        assertEquals("ACTIVE", ok(runtime.post("/api/v1/bundles/" + captioners + "/start", null)).get("state").getAsString());
        refused(runtime.post("/api/v1/bundles/" + store + "/stop", null), 409, "infrastructure");
        refused(runtime.post("/api/v1/bundles/99999/stop", null), 404, "no bundle with id 99999");
        refused(runtime.post("/api/v1/bundles/abc/stop", null), 400, "not a number");
        JsonObject components = ok(runtime.get("/api/v1/components"));
        assertTrue(components.toString().contains("org.synthloom.console.internal.ConsoleComponent"));
    }

    @Test
    public void requestsThatTryToLeaveTheDataDirectoryAreRefused() throws Exception {
        for (String path : List.of("/static/../../../etc/passwd", "/static/..%2F..%2Fetc%2Fpasswd", "/api/v1/runs/..%2F..%2Fetc/config",
                "/api/v1/runs/%2e%2e/config", "/static/webjars/../../../etc/passwd", "/static/%2e%2e/app.js")) {
            String answer = rawGet(path, "127.0.0.1");
            assertTrue(path + " -> " + answer, answer.startsWith("HTTP/1.1 4"));
            assertFalse(path + " -> " + answer, answer.contains("root:"));
        }
        refused(runtime.get("/api/v1/runs/compare?ids=../../etc,x"), 400, "not a plain name");
        refused(runtime.get("/api/v1/runs/..foo/config"), 404, "no run with id");
        refused(runtime.get("/api/v1/runs/a%20b/config"), 400, "not a plain name");
        refused(runtime.get("/api/v1/nothing/here"), 404, "no such resource");
        refused(runtime.call("PATCH", "/api/v1/runs", null, null, true), 405, "not allowed");
    }

    /** Reads the event stream on a thread: each event with the time it arrived. */
    private static final class EventStream implements AutoCloseable {
        final List<long[]> arrivals = new CopyOnWriteArrayList<>();
        final List<JsonObject> events = new CopyOnWriteArrayList<>();
        private final java.util.concurrent.CompletableFuture<HttpResponse<Stream<String>>> response;

        EventStream(String query) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.base + "api/v1/events?" + query))
                    .header("X-Synthloom-Token", runtime.token).build();
            response = runtime.http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(r -> r.body().forEach(line -> {
                if (line.startsWith("data: ")) {
                    JsonObject event = com.google.gson.JsonParser.parseString(line.substring(6)).getAsJsonObject();
                    events.add(event);
                    if (event.has("time")) {
                        arrivals.add(new long[] {event.get("time").getAsLong(), System.currentTimeMillis()});
                    }
                }
            }));
        }

        JsonObject await(String type) throws InterruptedException {
            return Await.value("a " + type + " event", TIMEOUT, () -> events.stream()
                    .filter(e -> e.has("type") && e.get("type").getAsString().equals(type)).findFirst().orElse(null));
        }

        @Override
        public void close() {
            response.cancel(true);
        }
    }

    @Test
    public void aRunIsStartedPausedResumedAndStoppedWithItsEventsStreamedLive() throws Exception {
        JsonObject run = ok(runtime.post("/api/v1/pipelines/it-small/start", null));
        String id = run.get("id").getAsString();
        refused(runtime.post("/api/v1/pipelines/it-small/start", null), 409, "still working");
        try (EventStream stream = new EventStream("run=" + id)) {
            JsonObject progress = stream.await("PROGRESS");
            assertEquals(id, progress.get("run").getAsString());
            ok(runtime.post("/api/v1/runs/" + id + "/pause", null));
            stream.await("PAUSED");
            assertEquals("PAUSED", ok(runtime.get("/api/v1/runs/" + id)).get("state").getAsString());
            ok(runtime.post("/api/v1/runs/" + id + "/resume", null));
            stream.await("RESUMED");
            Await.until("metrics of training", TIMEOUT, () -> stream.events.stream()
                    .anyMatch(e -> e.get("type").getAsString().equals("METRIC")));
            JsonObject detail = ok(runtime.get("/api/v1/runs/" + id));
            assertTrue(detail.toString(), detail.getAsJsonArray("progress").size() >= 1);
            JsonObject samples = ok(runtime.get("/api/v1/runs/" + id + "/samples?source=human&limit=3"));
            assertEquals(96, samples.get("human").getAsInt());
            assertEquals(3, samples.getAsJsonArray("samples").size());
            JsonObject sample = samples.getAsJsonArray("samples").get(0).getAsJsonObject();
            assertEquals("human", sample.getAsJsonObject("imageProvenance").get("origin").getAsString());
            assertTrue(sample.getAsJsonArray("captions").size() > 0);
            String label = sample.getAsJsonArray("labels").get(0).getAsString();
            JsonObject byClass = ok(runtime.get("/api/v1/runs/" + id + "/samples?class=" + label.replace(" ", "%20")));
            for (JsonElement s : byClass.getAsJsonArray("samples")) {
                assertTrue(s.toString(), s.getAsJsonObject().getAsJsonArray("labels").toString().contains(label));
            }
            HttpResponse<byte[]> image = runtime.http.send(HttpRequest.newBuilder(URI.create(runtime.base.substring(0,
                    runtime.base.length() - 1) + sample.get("image").getAsString() + "?token=" + runtime.token)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(new String(image.body(), StandardCharsets.UTF_8), 200, image.statusCode());
            assertEquals("image/png", image.headers().firstValue("Content-Type").orElse(""));
            assertEquals((byte) 0x89, image.body()[0]);
            assertEquals('P', image.body()[1]);
            ok(runtime.post("/api/v1/runs/" + id + "/stop", null));
            stream.await("CANCELLED");
            refused(runtime.post("/api/v1/runs/" + id + "/pause", null), 409, "has ended");
            List<Long> latencies = new ArrayList<>();
            for (long[] a : stream.arrivals) {
                latencies.add(a[1] - a[0]);
            }
            Collections.sort(latencies);
            System.out.printf("console: SSE latency over %d events: median %d ms, max %d ms%n", latencies.size(),
                    latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));
            assertTrue("events arrive within a second: " + latencies, latencies.get(latencies.size() / 2) < 1000);
        }
        ConsoleRuntime.Reply config = runtime.get("/api/v1/runs/" + id + "/config");
        assertEquals(200, config.status());
        assertTrue(config.raw().headers().firstValue("Content-Disposition").orElse("").contains(id + "-pipeline.json"));
        assertTrue(config.body().contains("\"train.steps\""));
        refused(runtime.get("/api/v1/runs/" + id + "/results"), 404, "no results yet");
        JsonObject events = ok(runtime.get("/api/v1/runs/" + id + "/events?type=PAUSED"));
        assertEquals(1, events.getAsJsonArray("events").size());
    }
}
