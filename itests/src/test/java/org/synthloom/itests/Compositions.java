package org.synthloom.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.DefaultCompositeOption;

/**
 * Boots a runtime composition of {@code features/} in Pax Exam: the very bundles the build resolved
 * and exported for that composition, with the framework properties of {@code core.bndrun}, but
 * with hot-deploy folders of the test's own.
 */
public final class Compositions {

    private Compositions() {}

    /** The folder of exported bundles of a composition, e.g. {@code synthloom} or {@code core}. */
    public static Path bundlesOf(String composition) {
        Path dir = Path.of(System.getProperty("synthloom.compositions"), composition);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no exported composition at " + dir + "; build features/ first");
        }
        return dir;
    }

    /** A fresh working folder for one test class, with {@code plugins/} and {@code runtime-config/} inside. */
    public static Path workFolder(Class<?> test) {
        Path work = Path.of(System.getProperty("synthloom.itest.work"), test.getSimpleName());
        try {
            if (Files.exists(work)) {
                try (Stream<Path> paths = Files.walk(work)) {
                    paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(work.resolve("plugins"));
            Files.createDirectories(work.resolve("runtime-config"));
            // The web console, where a composition has it, on a free port: 8765 may be taken.
            Files.writeString(work.resolve("runtime-config").resolve("org.synthloom.console.cfg"), "port = 0\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return work;
    }

    /** Options that boot a composition with hot deploy watching the work folder. */
    public static Option boot(String composition, Path work) {
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        try (Stream<Path> jars = Files.list(bundlesOf(composition))) {
            // Logging first, as in the launcher's start order, so that every bundle's start-up logs
            // reach the configured backend. By reference: Felix reads the 120 MB djl bundle in place.
            jars.filter(p -> p.toString().endsWith(".jar"))
                    .sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith("pax-logging"))
                            .thenComparing(Comparator.naturalOrder()))
                    .forEach(jar -> options.add(bundle("reference:" + jar.toUri())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options.add(frameworkProperty("synthloom.home").value(work.toString()));
        options.add(frameworkProperty("felix.fileinstall.dir")
                .value(work.resolve("plugins") + "," + work.resolve("runtime-config")));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        options.add(frameworkProperty("felix.fileinstall.log.level").value("2"));
        options.add(frameworkProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(frameworkProperty("org.ops4j.pax.logging.property.file").value(resource("itest-logging.cfg")));
        options.add(systemProperty("ai.djl.offline").value("true"));
        options.add(systemProperty("OPT_OUT_TRACKING").value("true"));
        return new DefaultCompositeOption(options.toArray(new Option[0]));
    }

    private static String resource(String name) {
        try {
            return Path.of(Compositions.class.getResource("/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
