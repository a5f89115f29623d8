package org.synthloom.console.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.synthloom.djl.DeviceService;

import com.google.gson.JsonObject;

/** Health: framework, components that wait, compute device, memory, disk of the data directory. */
final class HealthApi {

    private final BundleContext context;
    private final ComponentsApi components;
    private final Supplier<DeviceService> devices;
    private final Path data;

    HealthApi(BundleContext context, ComponentsApi components, Supplier<DeviceService> devices, Path data) {
        this.context = context;
        this.components = components;
        this.devices = devices;
        this.data = data;
    }

    ApiResponse health(ApiRequest request) throws IOException {
        JsonObject body = new JsonObject();
        JsonObject framework = new JsonObject();
        Bundle system = context.getBundle(0);
        framework.addProperty("name", system.getSymbolicName());
        framework.addProperty("version", system.getVersion().toString());
        framework.addProperty("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        framework.addProperty("uptimeMillis", ManagementFactory.getRuntimeMXBean().getUptime());
        Map<String, Integer> states = new TreeMap<>();
        int fragments = 0;
        for (Bundle b : context.getBundles()) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                fragments++;
                continue;
            }
            states.merge(BundlesApi.state(b.getState()), 1, Integer::sum);
        }
        JsonObject bundleStates = new JsonObject();
        states.forEach(bundleStates::addProperty);
        framework.add("bundles", bundleStates);
        framework.addProperty("fragments", fragments);
        body.add("framework", framework);
        var waiting = components.unsatisfied();
        body.add("unsatisfied", waiting);
        body.add("awaitingConfiguration", components.awaitingConfiguration());

        JsonObject device = new JsonObject();
        DeviceService d = devices.get();
        if (d == null) {
            device.addProperty("available", false);
            device.addProperty("description", "no DeviceService: the org.synthloom.djl bundle is not active");
        } else {
            device.addProperty("available", true);
            device.addProperty("description", d.describe());
            device.addProperty("default", d.defaultDevice().toString());
            device.addProperty("gpus", d.gpuCount());
        }
        body.add("device", device);

        JsonObject memory = new JsonObject();
        Runtime rt = Runtime.getRuntime();
        memory.addProperty("heapUsed", rt.totalMemory() - rt.freeMemory());
        memory.addProperty("heapCommitted", rt.totalMemory());
        memory.addProperty("heapMax", rt.maxMemory());
        memory.addProperty("processors", rt.availableProcessors());
        long rss = residentBytes();
        if (rss > 0) {
            memory.addProperty("resident", rss);
        }
        body.add("memory", memory);

        JsonObject disk = new JsonObject();
        disk.addProperty("path", data.toString());
        FileStore fs = Files.getFileStore(data);
        disk.addProperty("total", fs.getTotalSpace());
        disk.addProperty("usable", fs.getUsableSpace());
        body.add("disk", disk);
        body.addProperty("status", waiting.isEmpty() && d != null ? "ok" : "degraded");
        return ApiResponse.ok(body);
    }

    /** Resident set size from /proc (Linux); 0 where it is not available. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
