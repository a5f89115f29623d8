package org.synthloom.console.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.Plugins;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Bundles: list, start, stop; plugin jars: install, update, uninstall.
 *
 * <p>Uploads go through the watched {@code plugins/} folder, written atomically: FileInstall then
 * installs, updates or (when the file is deleted) uninstalls them exactly as it does for a jar a user
 * copies in, so the folder stays the one record of what plugins are deployed and a restart brings
 * back the same set. A new version of a bundle of the boot set (e.g. the shapes world) has no file
 * in {@code plugins/}: it is updated in place through its {@link Bundle}, as FileInstall would.
 * Infrastructure bundles (the framework services, the SPI, DJL, the store, the engine, the console)
 * are never updated, stopped or uninstalled from here: see the root README on why.
 */
final class BundlesApi {

    /** Bundles whose update, stop or removal would take the platform (or this console) down. */
    static final Set<String> INFRASTRUCTURE = Set.of("org.apache.felix.framework", "org.apache.felix.scr",
            "org.apache.felix.configadmin", "org.apache.felix.metatype", "org.apache.felix.fileinstall",
            "org.ops4j.pax.logging.pax-logging-api", "org.ops4j.pax.logging.pax-logging-log4j2", "org.synthloom.api",
            "org.synthloom.djl", "org.synthloom.runtime", "org.synthloom.store", "org.synthloom.pipeline",
            "org.synthloom.imageio", "org.synthloom.console", "osgi.cmpn", "org.osgi.service.component",
            "org.osgi.util.promise", "org.osgi.util.function", "com.google.gson", "com.h2database",
            "org.apache.commons.commons-compress", "org.apache.commons.commons-io", "org.apache.commons.lang3");
    private static final long WAIT_MILLIS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger(BundlesApi.class);

    private final BundleContext context;
    private final Path plugins;

    BundlesApi(BundleContext context, Path plugins) {
        this.context = context;
        this.plugins = plugins.toAbsolutePath().normalize();
    }

    /** @return the watched plugins folder */
    Path plugins() {
        return plugins;
    }

    ApiResponse list(ApiRequest request) {
        JsonArray bundles = new JsonArray();
        for (Bundle b : context.getBundles()) {
            bundles.add(describe(b));
        }
        JsonObject body = new JsonObject();
        body.add("bundles", bundles);
        body.addProperty("pluginsDirectory", plugins.toString());
        return ApiResponse.ok(body);
    }

    JsonObject describe(Bundle b) {
        JsonObject json = new JsonObject();
        json.addProperty("id", b.getBundleId());
        json.addProperty("symbolicName", String.valueOf(b.getSymbolicName()));
        json.addProperty("version", b.getVersion().toString());
        json.addProperty("name", String.valueOf(b.getHeaders().get(Constants.BUNDLE_NAME)));
        json.addProperty("state", state(b.getState()));
        json.addProperty("fragment", b.getHeaders().get(Constants.FRAGMENT_HOST) != null);
        Path file = pluginFile(b);
        json.addProperty("plugin", file != null);
        if (file != null) {
            json.addProperty("file", file.getFileName().toString());
        }
        json.addProperty("infrastructure", infrastructure(b));
        json.addProperty("lastModified", b.getLastModified());
        Set<String> kinds = new TreeSet<>();
        JsonArray provided = new JsonArray();
        ServiceReference<?>[] registered = b.getRegisteredServices();
        for (ServiceReference<?> ref : registered == null ? new ServiceReference<?>[0] : registered) {
            provided.add(service(ref));
            Object kind = ref.getProperty(Plugins.KIND);
            if (kind != null) {
                kinds.add(kind.toString());
            }
        }
        JsonArray used = new JsonArray();
        ServiceReference<?>[] inUse = b.getServicesInUse();
        for (ServiceReference<?> ref : inUse == null ? new ServiceReference<?>[0] : inUse) {
            used.add(service(ref));
        }
        JsonArray kindArray = new JsonArray();
        kinds.forEach(kindArray::add);
        json.add("kinds", kindArray);
        json.add("services", provided);
        json.add("servicesInUse", used);
        return json;
    }

    static JsonObject service(ServiceReference<?> ref) {
        JsonObject s = new JsonObject();
        s.addProperty("id", (Long) ref.getProperty(Constants.SERVICE_ID));
        JsonArray classes = new JsonArray();
        for (String c : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
            classes.add(c);
        }
        s.add("objectClass", classes);
        Object kind = ref.getProperty(Plugins.KIND);
        Object name = ref.getProperty(Plugins.NAME);
        if (kind != null) {
            s.addProperty("kind", kind.toString());
        }
        if (name != null) {
            s.addProperty("name", name.toString());
        }
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        if (ranking instanceof Integer r) {
            s.addProperty("ranking", r);
        }
        Bundle from = ref.getBundle();
        if (from != null) {
            s.addProperty("bundle", from.getBundleId());
            s.addProperty("bundleName", from.getSymbolicName() + "@" + from.getVersion());
        }
        return s;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN";
        };
    }

    private static boolean infrastructure(Bundle b) {
        return b.getBundleId() == 0 || INFRASTRUCTURE.contains(b.getSymbolicName())
                || b.getSymbolicName() != null && (b.getSymbolicName().startsWith("org.ops4j.")
                        || b.getSymbolicName().startsWith("org.apache.felix."));
    }

    /** @return the file in plugins/ a bundle was installed from, or null */
    Path pluginFile(Bundle b) {
        String location = b.getLocation();
        if (location == null) {
            return null;
        }
        try {
            String l = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
            Path p;
            if (l.startsWith("file:")) {
                p = Path.of(URI.create(l));
            } else if (l.startsWith("/")) {
                p = Path.of(l);
            } else {
                return null;
            }
            p = p.toAbsolutePath().normalize();
            return p.getParent() != null && p.getParent().equals(plugins) ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Bundle bundle(ApiRequest request) {
        String id = request.param("id");
        long bundleId;
        try {
            bundleId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("the bundle id '" + id + "' is not a number");
        }
        Bundle b = context.getBundle(bundleId);
        if (b == null) {
            throw ApiException.notFound("no bundle with id " + bundleId);
        }
        return b;
    }

    private Bundle guarded(ApiRequest request, String action) {
        Bundle b = bundle(request);
        if (infrastructure(b)) {
            throw ApiException.conflict("bundle " + b.getSymbolicName() + " is infrastructure of the runtime and is not "
                    + action + " from the console (see the README: what must never go into plugins/)");
        }
        return b;
    }

    ApiResponse start(ApiRequest request) throws BundleException {
        Bundle b = guarded(request, "started or stopped");
        try {
            b.start();
        } catch (BundleException e) {
            throw new ApiException(409, "bundle " + b.getSymbolicName() + " did not start: " + e.getMessage());
        }
        return ApiResponse.ok(describe(b));
    }

    ApiResponse stop(ApiRequest request) throws BundleException {
        Bundle b = guarded(request, "started or stopped");
        b.stop();
        return ApiResponse.ok(describe(b));
    }

    /** POST /plugins: a jar whose bundle is new is installed; one whose bundle exists updates it. */
    ApiResponse upload(ApiRequest request) throws Exception {
        long started = System.nanoTime();
        PluginJars.Info info = PluginJars.inspect(request.body());
        List<Bundle> existing = Arrays.stream(context.getBundles())
                .filter(b -> info.symbolicName().equals(b.getSymbolicName())).toList();
        if (existing.size() > 1) {
            throw ApiException.conflict("several bundles are named " + info.symbolicName() + ": update one by id");
        }
        if (existing.isEmpty()) {
            Path target = plugins.resolve(info.symbolicName() + ".jar");
            drop(target, request.body());
            return installed(info, started, "installed", "plugins/" + target.getFileName());
        }
        return update(existing.get(0), info, request.body(), started);
    }

    /** POST /bundles/{id}/update: a new version of that very bundle. */
    ApiResponse updateBundle(ApiRequest request) throws Exception {
        long started = System.nanoTime();
        Bundle b = bundle(request);
        PluginJars.Info info = PluginJars.inspect(request.body());
        if (!info.symbolicName().equals(b.getSymbolicName())) {
            throw ApiException.badRequest("the jar is bundle " + info.symbolicName() + ", not " + b.getSymbolicName()
                    + " (bundle " + b.getBundleId() + ")");
        }
        return update(b, info, request.body(), started);
    }

    private ApiResponse update(Bundle b, PluginJars.Info info, byte[] jar, long started) throws Exception {
        if (infrastructure(b)) {
            throw ApiException.conflict("bundle " + b.getSymbolicName() + " is infrastructure of the runtime and is never "
                    + "updated in a running JVM; rebuild and restart Synthloom instead");
        }
        Path file = pluginFile(b);
        if (file != null) {
            drop(file, jar);
            return installed(info, started, "updated", "plugins/" + file.getFileName());
        }
        // A boot-set bundle: updated in place (same id, new revision), its old revision let go, then
        // started. Stopped first and started only after the refresh: update() alone would start the
        // new revision at once, a run would bind its components, and the refresh that follows would
        // close that revision's class loader under the run (NoClassDefFoundError mid-step).
        boolean wasActive = b.getState() == Bundle.ACTIVE;
        try {
            b.stop(Bundle.STOP_TRANSIENT);
            b.update(new ByteArrayInputStream(jar));
        } catch (BundleException e) {
            throw new ApiException(409, "bundle " + b.getSymbolicName() + " could not be updated: " + e.getMessage());
        }
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(b), event -> refreshed.countDown());
        if (!refreshed.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            LOG.warn("the refresh after updating {} did not end within {} s", b.getSymbolicName(), WAIT_MILLIS / 1000);
        }
        if (wasActive) {
            try {
                b.start();
            } catch (BundleException e) {
                // installed() tries again and puts the reason in the response
            }
        }
        return installed(info, started, "updated", "in place (bundle " + b.getBundleId() + ")");
    }

    /** Waits for the bundle of that name and version to be active, and says how long it took. */
    private ApiResponse installed(PluginJars.Info info, long started, String action, String how) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        Bundle found = null;
        while (System.nanoTime() < deadline) {
            found = Arrays.stream(context.getBundles()).filter(b -> info.symbolicName().equals(b.getSymbolicName())
                    && info.version().equals(b.getVersion())).findFirst().orElse(null);
            if (found != null && (found.getState() == Bundle.ACTIVE || found.getHeaders().get(Constants.FRAGMENT_HOST) != null
                    && found.getState() == Bundle.RESOLVED)) {
                break;
            }
            Thread.sleep(20);
        }
        JsonObject body = new JsonObject();
        body.addProperty("action", action);
        body.addProperty("how", how);
        body.addProperty("symbolicName", info.symbolicName());
        body.addProperty("version", info.version().toString());
        body.addProperty("millis", (System.nanoTime() - started) / 1_000_000);
        if (found == null) {
            body.addProperty("problem", "the jar is in " + how + " but no bundle " + info.symbolicName() + " " + info.version()
                    + " appeared within " + WAIT_MILLIS / 1000 + " s: see data/logs/synthloom.log");
            return ApiResponse.json(202, body);
        }
        if (found.getState() != Bundle.ACTIVE && found.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
            try {
                found.start(); // FileInstall retries too; this is for the reason why it cannot start
            } catch (BundleException e) {
                body.addProperty("problem", "installed but not active: " + e.getMessage());
            }
        }
        body.add("bundle", describe(found));
        return ApiResponse.ok(body);
    }

    /** DELETE /bundles/{id}: a plugin's jar is removed from plugins/, and FileInstall uninstalls it. */
    ApiResponse uninstall(ApiRequest request) throws Exception {
        Bundle b = guarded(request, "uninstalled");
        Path file = pluginFile(b);
        if (file == null) {
            throw ApiException.conflict("bundle " + b.getSymbolicName() + " is part of the runtime's boot set, not a plugin "
                    + "in plugins/: stop it instead");
        }
        long started = System.nanoTime();
        Files.deleteIfExists(file);
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        while (b.getState() != Bundle.UNINSTALLED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        JsonObject body = new JsonObject();
        body.addProperty("action", "uninstalled");
        body.addProperty("symbolicName", b.getSymbolicName());
        body.addProperty("uninstalled", b.getState() == Bundle.UNINSTALLED);
        body.addProperty("millis", (System.nanoTime() - started) / 1_000_000);
        return ApiResponse.ok(body);
    }

    /** Writes a jar the way FileInstall wants to see it: complete under a hidden name, then moved in. */
    private static void drop(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling("." + target.getFileName() + ".part");
        Files.write(partial, content);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
