package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.synthloom.djl.DeviceService;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.NativeResource;

/**
 * Refreshing package wiring, of a plugin and of the API bundle with everything that depends on it,
 * leaves the djl bundle alone: not stopped, not re-resolved, the same engine, and libtorch not
 * reloaded (a tensor made before the refreshes keeps its native handle and still computes).
 *
 * <p>This test touches no class of the SPI, so that its own bundle stays out of the refresh.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RefreshIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Inject
    private BundleContext context;

    @Inject
    private DeviceService devices;

    @Configuration
    public Option[] configuration() {
        return new Option[] {Compositions.boot("core", Compositions.workFolder(RefreshIT.class))};
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /** Refreshes and waits until the framework says the refresh is done. */
    private void refresh(Collection<Bundle> bundles) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        FrameworkListener listener = event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        };
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, listener);
        assertTrue("the refresh of " + bundles + " finished", done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    public void refreshingPluginsAndTheApiNeverRestartsTheDjlBundleNorReloadsLibtorch() throws Exception {
        Bundle djl = bundle("org.synthloom.djl");
        long id = djl.getBundleId();
        long lastModified = djl.getLastModified();
        BundleRevision revision = djl.adapt(BundleRevision.class);
        ServiceReference<DeviceService> deviceRef = context.getServiceReference(DeviceService.class);
        Object deviceServiceId = deviceRef.getProperty("service.id");
        Engine engine = devices.engine();
        NDManager manager = devices.newManager(Device.cpu());
        NDArray tensor = manager.create(new float[] {1, 2, 3});
        Object handle = ((NativeResource<?>) tensor).getHandle();
        List<String> djlEvents = new CopyOnWriteArrayList<>();
        List<String> events = new CopyOnWriteArrayList<>();
        BundleListener listener = e -> {
            events.add(e.getBundle().getSymbolicName() + " " + e.getType());
            if (e.getBundle().getBundleId() == id) {
                djlEvents.add(String.valueOf(e.getType()));
            }
        };
        context.addBundleListener(listener);
        try {
            // A plugin, installed through plugins/, then refreshed.
            Path plugins = Path.of(context.getProperty("felix.fileinstall.dir").split(",")[0]);
            Path partial = plugins.resolve(".probe-refresh.jar.part");
            Files.write(partial, Jars.probePlugin("org.synthloom.itests.probe.refresh", "1.0.0",
                    Jars.Probe.ok("probe-refresh", 1)));
            Files.move(partial, plugins.resolve("probe-refresh.jar"), StandardCopyOption.ATOMIC_MOVE);
            Bundle plugin = Await.value("the probe plugin active", TIMEOUT, () -> Arrays.stream(context.getBundles())
                    .filter(b -> "org.synthloom.itests.probe.refresh".equals(b.getSymbolicName())
                            && b.getState() == Bundle.ACTIVE).findFirst().orElse(null));
            events.clear();
            refresh(List.of(plugin));
            // Bundle events reach an (asynchronous) listener after the refresh is reported, and a
            // plugin that FileInstall started transiently is started again by FileInstall's scan.
            Await.until("the plugin restarted by its refresh", TIMEOUT,
                    () -> events.contains("org.synthloom.itests.probe.refresh " + BundleEvent.STARTED));

            // The API bundle and everything wired to it.
            Bundle api = bundle("org.synthloom.api");
            Collection<Bundle> closure = context.getBundle(0).adapt(FrameworkWiring.class)
                    .getDependencyClosure(List.of(api));
            List<String> names = new ArrayList<>();
            closure.forEach(b -> names.add(b.getSymbolicName()));
            assertTrue(names.toString(), names.contains("org.synthloom.pipeline") && names.contains("org.synthloom.runtime"));
            assertFalse("djl does not depend on the API: " + names, names.contains("org.synthloom.djl"));
            assertFalse("this test stays out of the refresh: " + names, closure.contains(context.getBundle()));
            events.clear();
            refresh(List.of(api));
            Await.until("the pipeline engine restarted by the refresh", TIMEOUT,
                    () -> events.contains("org.synthloom.pipeline " + BundleEvent.STARTED));
            System.out.println("refresh of the API restarted: " + names);
        } finally {
            context.removeBundleListener(listener);
        }

        assertEquals("no event of the djl bundle", List.of(), djlEvents);
        assertSame("djl keeps its bundle", djl, context.getBundle(id));
        assertEquals(Bundle.ACTIVE, djl.getState());
        assertEquals(lastModified, djl.getLastModified());
        assertSame("djl keeps its revision (not re-resolved)", revision, djl.adapt(BundleRevision.class));
        assertEquals("the same device service", deviceServiceId,
                context.getServiceReference(DeviceService.class).getProperty("service.id"));
        assertSame("the same engine", engine, devices.engine());
        assertSame(engine, Engine.getInstance());
        assertEquals("a tensor made before keeps its native handle", handle, ((NativeResource<?>) tensor).getHandle());
        assertEquals("and libtorch still computes with it", 6f, tensor.sum().getFloat(), 0f);
        try (NDManager again = devices.newManager(Device.cpu())) {
            assertEquals(14f, again.create(new float[] {1, 2, 3}).pow(2).sum().getFloat(), 0f);
        }
        manager.close();
        for (Bundle b : context.getBundles()) {
            assertEquals(b.getSymbolicName() + " active after the refreshes", Bundle.ACTIVE, b.getState());
        }
    }
}
