package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunState;
import org.synthloom.djl.DeviceService;

import ai.djl.Device;

/**
 * Hot deploy through the watched folders, in the core composition: the hello plugin is not part of
 * it, so the test installs, updates and removes it by writing jars into plugins/.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String HELLO = "org.synthloom.example.hello";

    @Inject
    private BundleContext context;

    @Inject
    private LogReaderService logReader;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private DeviceService devices;

    private final List<LogEntry> log = new CopyOnWriteArrayList<>();
    private final LogListener listener = log::add;
    private Path plugins;
    private Path config;

    @Configuration
    public Option[] configuration() {
        return new Option[] {Compositions.boot("core", Compositions.workFolder(HotDeployIT.class))};
    }

    @Before
    public void watchFoldersAndLog() {
        String[] dirs = context.getProperty("felix.fileinstall.dir").split(",");
        plugins = Path.of(dirs[0]);
        config = Path.of(dirs[1]);
        logReader.addLogListener(listener);
    }

    @After
    public void stopListening() {
        logReader.removeLogListener(listener);
    }

    /** Writes a file the way a careful user does: complete under another name, then moved in. */
    private static void drop(Path target, byte[] content) throws IOException {
        Path partial = target.resolveSibling("." + target.getFileName() + ".part");
        Files.write(partial, content);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] helloJar() throws IOException {
        try (Stream<Path> jars = Files.list(Compositions.bundlesOf("synthloom"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith(HELLO)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no hello plugin among the exported bundles"));
            return Files.readAllBytes(jar);
        }
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElse(null);
    }

    private ServiceReference<Pipeline> helloService() {
        return context.getServiceReference(Pipeline.class);
    }

    private Map<Long, String> bundleSnapshot() {
        Map<Long, String> snapshot = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            snapshot.put(b.getBundleId(), b.getSymbolicName() + " " + b.getVersion() + " " + b.getState());
        }
        return snapshot;
    }

    private LogEntry awaitLogMentioning(String text) throws InterruptedException {
        return Await.value("a log entry mentioning " + text, TIMEOUT, () -> log.stream()
                .filter(e -> e.getMessage().contains(text)).findFirst().orElse(null));
    }

    @Test
    public void aPluginJarIsInstalledUpdatedAndRemovedWithoutRestart() throws Exception {
        assertNull("hello is not in the core composition", bundle(HELLO));
        Path target = plugins.resolve("hello.jar");
        byte[] original = helloJar();

        drop(target, original);
        Duration installed = Await.until("hello to be installed and its pipeline registered", TIMEOUT,
                () -> helloService() != null);
        Bundle hello = bundle(HELLO);
        assertEquals(Bundle.ACTIVE, hello.getState());
        long id = hello.getBundleId();
        Version first = hello.getVersion();
        System.out.println("hot deploy: installed and active in " + installed.toMillis() + " ms");

        Run run = context.getService(helloService()).start();
        assertEquals(RunState.FINISHED, run.await(TIMEOUT));

        Version next = new Version(first.getMajor(), first.getMinor(), first.getMicro() + 1, "itest");
        drop(target, Jars.withVersion(original, next.toString()));
        Duration updated = Await.until("hello to be updated in place to " + next, TIMEOUT, () -> {
            ServiceReference<Pipeline> ref = helloService();
            return ref != null && ref.getBundle().getVersion().equals(next);
        });
        System.out.println("hot deploy: updated in " + updated.toMillis() + " ms");
        assertEquals("updated in place, not reinstalled", id, bundle(HELLO).getBundleId());
        Run again = context.getService(helloService()).start();
        assertEquals(RunState.FINISHED, again.await(TIMEOUT));

        Files.delete(target);
        Await.until("hello to be uninstalled", TIMEOUT, () -> context.getBundle(id) == null && helloService() == null);
        assertNotNull("the framework keeps its device service", context.getServiceReference(DeviceService.class));
    }

    @Test
    public void aJarThatIsNotABundleIsReportedAndChangesNothing() throws Exception {
        Map<Long, String> before = bundleSnapshot();
        drop(plugins.resolve("broken.jar"), "not a zip file at all".getBytes(StandardCharsets.UTF_8));
        LogEntry entry = awaitLogMentioning("broken.jar");
        assertTrue(entry.getMessage(), entry.getMessage().contains("not a readable jar (zip) file"));
        assertEquals(org.osgi.service.log.LogLevel.ERROR, entry.getLogLevel());

        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(plain, new Manifest())) {
            out.putNextEntry(new JarEntry("x/Y.class"));
        }
        drop(plugins.resolve("plain-library.jar"), plain.toByteArray());
        LogEntry plainEntry = awaitLogMentioning("plain-library.jar");
        assertTrue(plainEntry.getMessage(), plainEntry.getMessage().contains("no Bundle-SymbolicName"));

        Thread.sleep(1000); // several more scans of the folder
        assertEquals(before, bundleSnapshot());
        Files.delete(plugins.resolve("broken.jar"));
        Files.delete(plugins.resolve("plain-library.jar"));
    }

    @Test
    public void aMalformedConfigurationIsReportedAndChangesNothing() throws Exception {
        Map<Long, String> before = bundleSnapshot();
        Device device = devices.defaultDevice();
        drop(config.resolve("org.synthloom.djl.config"), "device = \"cpu\"\nintraop.threads = I\"many\"\n".getBytes(StandardCharsets.UTF_8));
        LogEntry entry = awaitLogMentioning("org.synthloom.djl.config");
        assertTrue(entry.getMessage(), entry.getMessage().contains("Failed to install artifact"));
        assertNotNull("the reason is attached", entry.getException());
        assertNull(configurationAdmin.listConfigurations("(service.pid=org.synthloom.djl)"));
        assertEquals(before, bundleSnapshot());
        assertEquals(device, devices.defaultDevice());
        Files.delete(config.resolve("org.synthloom.djl.config"));
    }

    @Test
    public void aConfigurationFileIsAppliedLiveAndABadValueIsRejectedWithItsFile() throws Exception {
        drop(config.resolve("org.synthloom.djl.cfg"), "device = cpu\n".getBytes(StandardCharsets.UTF_8));
        Await.until("the configuration to reach ConfigAdmin", TIMEOUT, () -> {
            try {
                return configurationAdmin.listConfigurations("(service.pid=org.synthloom.djl)") != null;
            } catch (Exception e) {
                return false;
            }
        });
        Await.until("the default device to be cpu", TIMEOUT, () -> Device.cpu().equals(devices.defaultDevice()));

        drop(config.resolve("org.synthloom.djl.cfg"), "device = gpu:3\n".getBytes(StandardCharsets.UTF_8));
        LogEntry rejected = awaitLogMentioning("rejected");
        assertTrue(rejected.getMessage(), rejected.getMessage().contains("org.synthloom.djl.cfg"));
        assertTrue(rejected.getMessage(), rejected.getMessage().contains("gpu:3"));
        assertEquals(Device.cpu(), devices.defaultDevice());
        Files.delete(config.resolve("org.synthloom.djl.cfg"));
    }
}
