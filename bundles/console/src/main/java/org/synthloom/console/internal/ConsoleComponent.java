package org.synthloom.console.internal;

import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.Plugins;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.ImageTokenizer;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;
import org.synthloom.djl.DeviceService;
import org.synthloom.store.RunStore;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The web console: starts the embedded Jetty on the configured address, with the access token kept
 * in the data directory, and publishes its URL (with the token) as the service property
 * {@value #URL_PROPERTY} of its {@link RunListener} registration, which the command line prints in
 * its ready report; the bound port is {@value #PORT_PROPERTY} and, without the token,
 * {@code <data>/console/console.json}. Run events, bundle changes and plugin services coming and
 * going are streamed to the browser.
 */
@Component(service = {}, configurationPid = ConsoleComponent.PID, immediate = true)
@Designate(ocd = ConsoleConfig.class)
public class ConsoleComponent implements RunListener {

    static final String PID = "org.synthloom.console";
    /** Service property: the console's URL with the access token, to print. */
    public static final String URL_PROPERTY = "synthloom.console.url";
    /** Service property: the TCP port the console listens on. */
    public static final String PORT_PROPERTY = "synthloom.console.port";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleComponent.class);
    private static final int ACTIVITY_KEPT = 300;

    private final BundleContext context;
    private final EventHub hub = new EventHub();
    private final Deque<JsonObject> activity = new ArrayDeque<>();
    private final List<Pipeline> pipelines = new CopyOnWriteArrayList<>();
    private final List<ServiceReference<ImageTokenizer>> tokenizers = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final String host;
    private final int configuredPort;
    private final Path data;
    private final AccessToken token;
    private Thread fallback;
    private boolean listening;
    private boolean closed;
    private String url;
    private ServiceRegistration<RunListener> registration;
    private final BundleListener bundleListener = this::bundleChanged;
    private final ServiceListener serviceListener = this::serviceChanged;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DeviceService devices;

    /**
     * Starts the server.
     *
     * @throws IllegalArgumentException if the configuration is not usable (naming the PID, the
     *     property and the value), or the port is taken
     * @throws IOException if the token cannot be read or written
     */
    @Activate
    public ConsoleComponent(BundleContext context, ConsoleConfig config, Map<String, Object> properties,
            @Reference(name = "store") RunStore store, @Reference(name = "scr") ServiceComponentRuntime scr,
            @Reference(name = "configurationAdmin") ConfigurationAdmin configurationAdmin,
            @Reference(name = "metaType") MetaTypeService metaType) throws Exception {
        this.context = context;
        this.host = config.host() == null ? "" : config.host().trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException(PID + ": host must not be empty (127.0.0.1 binds this machine only)");
        }
        if (config.port() < 0 || config.port() > 65535) {
            throw new IllegalArgumentException(PID + ": port must be between 0 and 65535, not " + config.port());
        }
        if (config.upload_max_mebibytes() < 1) {
            throw new IllegalArgumentException(PID + ": upload.max.mebibytes must be at least 1, not "
                    + config.upload_max_mebibytes());
        }
        this.configuredPort = config.port();
        this.data = store.dataDirectory();
        DataPaths paths = new DataPaths(data);
        this.token = AccessToken.loadOrCreate(data.resolve("console").resolve("token"));
        boolean loopback = Set.of("127.0.0.1", "localhost", "::1").contains(host.toLowerCase(Locale.ROOT));
        Router router = new Router(token, loopback);
        routes(router, context, store, paths, scr, configurationAdmin, metaType, config.upload_max_mebibytes() * (1L << 20));
        this.server = new HttpServer(host, config.port(), router, hub, ConsoleComponent.class.getClassLoader(),
                ConsoleComponent::streamFilter);
        Optional<Path> pending = properties.containsKey("service.pid") ? Optional.empty() : configurationFile(context);
        if (pending.isPresent()) {
            // FileInstall has not applied runtime-config/org.synthloom.console.* yet: listening on the
            // defaults now would bind a port the user moved away from (perhaps taken) only to rebind
            // a moment later. The configuration reactivates this component; defaults after 10 s.
            LOG.debug("console waits for its configuration from {}", pending.get());
            fallback = new Thread(() -> {
                try {
                    Thread.sleep(10_000);
                    LOG.warn("console: {} was not applied within 10 s; listening with the defaults", pending.get());
                    listen();
                } catch (InterruptedException deactivated) {
                    // the configuration arrived
                } catch (Exception e) {
                    LOG.error("console did not start", e);
                }
            }, "synthloom-console-await-config");
            fallback.setDaemon(true);
            fallback.start();
        } else {
            listen();
        }
    }

    /** A configuration file for this PID in a watched folder, if there is one. */
    private static Optional<Path> configurationFile(BundleContext context) {
        String watched = context.getProperty("felix.fileinstall.dir");
        if (watched == null) {
            return Optional.empty();
        }
        for (String dir : watched.split(",")) {
            for (String extension : List.of(".cfg", ".config", ".json")) {
                Path file = Path.of(dir.trim()).resolve(PID + extension);
                if (!dir.isBlank() && Files.isRegularFile(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts Jetty and publishes the URL. */
    private synchronized void listen() throws Exception {
        if (listening || closed) {
            return;
        }
        long starting = System.nanoTime();
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            Throwable cause = e instanceof BindException ? e : e.getCause();
            throw new IllegalArgumentException(PID + ": cannot listen on " + host + ":" + configuredPort + " ("
                    + (cause == null ? e : cause).getMessage() + "); set another port in runtime-config/" + PID + ".cfg", e);
        }
        listening = true;
        String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        String base = "http://" + shownHost + ":" + server.port() + "/";
        this.url = base + "?token=" + token.value();
        long startMillis = (System.nanoTime() - starting) / 1_000_000;
        writeInfo(data, base, host, server.port(), startMillis);
        context.addBundleListener(bundleListener);
        context.addServiceListener(serviceListener, "(" + Plugins.KIND + "=*)");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(URL_PROPERTY, url);
        properties.put(PORT_PROPERTY, server.port());
        this.registration = context.registerService(RunListener.class, this, properties);
        LOG.info("console listening at {}, Jetty started in {} ms (token in {})", base, startMillis,
                data.resolve("console").resolve("token"));
    }

    private void routes(Router r, BundleContext context, RunStore store, DataPaths paths, ServiceComponentRuntime scr,
            ConfigurationAdmin configurationAdmin, MetaTypeService metaType, long uploadLimit) {
        Path plugins = pluginsDirectory(context);
        BundlesApi bundles = new BundlesApi(context, plugins);
        ComponentsApi components = new ComponentsApi(scr);
        PipelinesApi pipelinesApi = new PipelinesApi(context, configurationAdmin, metaType, scr);
        RunsApi runs = new RunsApi(store, paths, this::liveRuns);
        SamplesApi samples = new SamplesApi(store, paths, this::tokenDecoder);
        HealthApi health = new HealthApi(context, components, () -> devices, paths.root());
        r.add("GET", "/api/v1/openapi.json", Router.Access.PUBLIC, 0, q -> openApi());
        r.get("/api/v1", q -> index(r));
        r.get("/api/v1/health", health::health);
        r.get("/api/v1/activity", q -> activity());
        r.get("/api/v1/bundles", bundles::list);
        r.post("/api/v1/bundles/{id}/start", bundles::start);
        r.post("/api/v1/bundles/{id}/stop", bundles::stop);
        r.add("POST", "/api/v1/bundles/{id}/update", Router.Access.WRITE, uploadLimit, bundles::updateBundle);
        r.add("DELETE", "/api/v1/bundles/{id}", Router.Access.WRITE, 0, bundles::uninstall);
        r.add("POST", "/api/v1/plugins", Router.Access.WRITE, uploadLimit, bundles::upload);
        r.get("/api/v1/components", components::list);
        r.get("/api/v1/pipelines", pipelinesApi::list);
        r.get("/api/v1/pipelines/schema", pipelinesApi::schema);
        r.post("/api/v1/pipelines", pipelinesApi::create);
        r.get("/api/v1/pipelines/{name}", pipelinesApi::get);
        r.add("PUT", "/api/v1/pipelines/{name}", Router.Access.WRITE, Router.JSON_LIMIT, pipelinesApi::update);
        r.add("DELETE", "/api/v1/pipelines/{name}", Router.Access.WRITE, 0, pipelinesApi::delete);
        r.post("/api/v1/pipelines/{name}/clone", pipelinesApi::copy);
        r.post("/api/v1/pipelines/{name}/start", pipelinesApi::start);
        r.get("/api/v1/runs", runs::list);
        r.get("/api/v1/runs/compare", runs::compare);
        r.get("/api/v1/runs/{id}", runs::get);
        r.get("/api/v1/runs/{id}/events", runs::events);
        r.get("/api/v1/runs/{id}/metrics", runs::metrics);
        r.get("/api/v1/runs/{id}/config", runs::config);
        r.get("/api/v1/runs/{id}/results", runs::results);
        r.post("/api/v1/runs/{id}/pause", runs::pause);
        r.post("/api/v1/runs/{id}/resume", runs::resume);
        r.post("/api/v1/runs/{id}/stop", runs::stop);
        r.get("/api/v1/runs/{id}/samples", samples::list);
        r.get("/api/v1/runs/{id}/samples/{stage}/{key}/image", samples::image);
    }

    /** The watched folder named {@code plugins} (else the first watched folder), as FileInstall resolves it. */
    static Path pluginsDirectory(BundleContext context) {
        String watched = context.getProperty("felix.fileinstall.dir");
        List<Path> dirs = new ArrayList<>();
        if (watched != null) {
            for (String d : watched.split(",")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d.trim()).toAbsolutePath().normalize());
                }
            }
        }
        return dirs.stream().filter(p -> p.getFileName() != null && p.getFileName().toString().equals("plugins")).findFirst()
                .orElse(dirs.isEmpty() ? Path.of("plugins").toAbsolutePath().normalize() : dirs.get(0));
    }

    private static ApiResponse openApi() throws IOException {
        try (var in = ConsoleComponent.class.getClassLoader().getResourceAsStream("web/openapi.json")) {
            if (in == null) {
                throw ApiException.notFound("the OpenAPI file is missing from the bundle");
            }
            return ApiResponse.bytes("application/json; charset=utf-8", in.readAllBytes());
        }
    }

    private static ApiResponse index(Router router) {
        JsonArray routes = new JsonArray();
        for (Router.Route route : router.routes()) {
            JsonObject r = new JsonObject();
            r.addProperty("method", route.method());
            r.addProperty("path", route.pattern());
            r.addProperty("access", route.access().name().toLowerCase(Locale.ROOT));
            routes.add(r);
        }
        JsonObject stream = new JsonObject();
        stream.addProperty("method", "GET");
        stream.addProperty("path", HttpServer.EVENTS_PATH);
        stream.addProperty("access", "read");
        routes.add(stream);
        JsonObject body = new JsonObject();
        body.addProperty("version", "v1");
        body.addProperty("openapi", "/api/v1/openapi.json");
        body.add("routes", routes);
        return ApiResponse.ok(body);
    }

    private static void writeInfo(Path data, String base, String host, int port, long startMillis) throws IOException {
        JsonObject info = new JsonObject();
        info.addProperty("serverStartMillis", startMillis);
        info.addProperty("url", base);
        info.addProperty("host", host);
        info.addProperty("port", port);
        info.addProperty("tokenFile", data.resolve("console").resolve("token").toString());
        Path file = data.resolve("console").resolve("console.json");
        Path partial = file.resolveSibling(".console.json.part");
        Files.writeString(partial, ApiResponse.GSON.toJson(info), StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        Thread waiting;
        synchronized (this) {
            closed = true;
            waiting = fallback;
        }
        if (waiting != null) {
            waiting.interrupt();
            waiting.join(5_000);
        }
        synchronized (this) {
            if (!listening) {
                return;
            }
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            context.removeBundleListener(bundleListener);
            context.removeServiceListener(serviceListener);
            server.stop();
        }
    }

    private List<Run> liveRuns() {
        List<Run> runs = new ArrayList<>();
        for (Pipeline p : pipelines) {
            try {
                p.currentRun().ifPresent(runs::add);
            } catch (RuntimeException goingAway) {
                // the pipeline is being deactivated
            }
        }
        return runs;
    }

    /** Decodes with a registered tokenizer whose name the grid's codebook mentions, or the only one. */
    private SamplesApi.TokenDecoder tokenDecoder() {
        return grid -> {
            DeviceService d = devices;
            if (d == null || tokenizers.isEmpty()) {
                return Optional.empty();
            }
            ServiceReference<ImageTokenizer> chosen = null;
            for (ServiceReference<ImageTokenizer> ref : tokenizers) {
                Object name = ref.getProperty(Plugins.NAME);
                if (name != null && grid.codebook().contains(name.toString())) {
                    chosen = ref;
                }
            }
            if (chosen == null && tokenizers.size() == 1) {
                chosen = tokenizers.get(0);
            }
            if (chosen == null) {
                return Optional.empty();
            }
            ImageTokenizer tokenizer = context.getService(chosen);
            if (tokenizer == null) {
                return Optional.empty();
            }
            try (NDManager manager = d.newManager(d.defaultDevice())) {
                return Optional.of(tokenizer.decode(List.<TokenGrid>of(grid), manager).get(0));
            } catch (RuntimeException e) {
                // unfitted, or another codebook: the grid is shown instead
                LOG.debug("tokenizer {} could not decode {}: {}", chosen.getProperty(Plugins.NAME), grid, e.toString());
                return Optional.<ImagePixels>empty();
            } finally {
                context.ungetService(chosen);
            }
        };
    }

    @Override
    public void onEvent(RunEvent event) {
        JsonObject json = RunsApi.event(event);
        json.addProperty("topic", "run");
        hub.publish("run", event.runId() + "#" + event.sequence(), json);
        if (event.type() != RunEvent.Type.PROGRESS && event.type() != RunEvent.Type.METRIC) {
            remember(json);
        }
    }

    private void bundleChanged(BundleEvent event) {
        String type = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "INSTALLED";
            case BundleEvent.UPDATED -> "UPDATED";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.UNINSTALLED -> "UNINSTALLED";
            default -> null;
        };
        if (type == null) {
            return;
        }
        Bundle b = event.getBundle();
        JsonObject json = new JsonObject();
        json.addProperty("topic", "bundle");
        json.addProperty("type", type);
        json.addProperty("time", System.currentTimeMillis());
        json.addProperty("bundle", b.getBundleId());
        json.addProperty("message", b.getSymbolicName() + " " + b.getVersion());
        if (event.getType() == BundleEvent.UPDATED || event.getType() == BundleEvent.INSTALLED
                || event.getType() == BundleEvent.UNINSTALLED) {
            LOG.info("console: bundle {} {} {}", b.getSymbolicName(), b.getVersion(), type.toLowerCase(Locale.ROOT));
        }
        remember(json);
        hub.publish("bundle", null, json);
    }

    private void serviceChanged(ServiceEvent event) {
        String type = switch (event.getType()) {
            case ServiceEvent.REGISTERED -> "REGISTERED";
            case ServiceEvent.UNREGISTERING -> "UNREGISTERING";
            default -> null;
        };
        if (type == null) {
            return;
        }
        ServiceReference<?> ref = event.getServiceReference();
        JsonObject json = new JsonObject();
        json.addProperty("topic", "service");
        json.addProperty("type", type);
        json.addProperty("time", System.currentTimeMillis());
        Bundle b = ref.getBundle();
        json.addProperty("message", ref.getProperty(Plugins.KIND) + "/" + ref.getProperty(Plugins.NAME)
                + (b == null ? "" : "@" + b.getVersion()) + " (service " + ref.getProperty("service.id") + ")");
        remember(json);
        hub.publish("service", null, json);
    }

    private void remember(JsonObject json) {
        synchronized (activity) {
            activity.addLast(json);
            while (activity.size() > ACTIVITY_KEPT) {
                activity.removeFirst();
            }
        }
    }

    private ApiResponse activity() {
        JsonArray list = new JsonArray();
        synchronized (activity) {
            activity.forEach(list::add);
        }
        JsonObject body = new JsonObject();
        body.add("activity", list);
        return ApiResponse.ok(body);
    }

    /** SSE filter: {@code ?run=<id>} keeps that run's events; {@code ?topics=run,bundle,service} chooses kinds. */
    static Predicate<JsonObject> streamFilter(ApiRequest request) {
        String run = request.query("run", "");
        Set<String> topics = Set.of(request.query("topics", "run,bundle,service").split(","));
        return json -> {
            String topic = json.has("topic") ? json.get("topic").getAsString() : "";
            if (!topics.contains(topic)) {
                return false;
            }
            return run.isEmpty() || !topic.equals("run") || run.equals(json.get("run").getAsString());
        };
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPipeline(Pipeline pipeline) {
        pipelines.add(pipeline);
    }

    void unbindPipeline(Pipeline pipeline) {
        pipelines.remove(pipeline);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, service = ImageTokenizer.class)
    void bindTokenizer(ServiceReference<ImageTokenizer> ref) {
        tokenizers.add(ref);
    }

    void unbindTokenizer(ServiceReference<ImageTokenizer> ref) {
        tokenizers.remove(ref);
    }

}
