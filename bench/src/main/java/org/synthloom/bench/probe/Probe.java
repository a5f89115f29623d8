package org.synthloom.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.osgi.framework.BundleContext;

/**
 * The bench's probe inside the runtime: a Declarative Services component the bench copies into
 * {@code plugins/} (its jar is made by {@code ProbeJar}, its component description is
 * {@code OSGI-INF/probe.xml}). On activation it writes {@code data/bench/probe.json} with its
 * bundle version and the time: the bench times a jar copy until that file names the new version
 * (the hot-swap latency).
 */
public class Probe {

    /** For Declarative Services. */
    public Probe() {}

    /**
     * Announces the new version.
     *
     * @param context the probe bundle's context
     * @throws IOException if the announcement cannot be written
     */
    public void activate(BundleContext context) throws IOException {
        Path dir = Path.of("data", "bench").toAbsolutePath();
        Files.createDirectories(dir);
        Path file = dir.resolve("probe.json");
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(part, String.format(Locale.ROOT, "{\"version\": \"%s\", \"activated_ms\": %d}",
                context.getBundle().getVersion(), System.currentTimeMillis()), StandardCharsets.UTF_8);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
