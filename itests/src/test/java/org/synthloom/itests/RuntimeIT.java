package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;
import org.synthloom.api.run.RunState;
import org.synthloom.djl.DeviceService;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** The default composition ({@code features/synthloom.bndrun}) in a real Felix framework. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private DeviceService devices;

    @Inject
    private MetaTypeService metaTypes;

    @Configuration
    public Option[] configuration() {
        return new Option[] {Compositions.boot("synthloom", Compositions.workFolder(RuntimeIT.class))};
    }

    private static Set<String> symbolicNamesOf(String composition) throws IOException {
        try (Stream<Path> jars = Files.list(Compositions.bundlesOf(composition))) {
            Set<String> names = new java.util.TreeSet<>();
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).collect(Collectors.toList())) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    names.add(file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim());
                }
            }
            return names;
        }
    }

    @Test
    public void everyBundleOfTheCompositionIsActive() throws IOException {
        Set<String> expected = symbolicNamesOf("synthloom");
        assertTrue(expected.contains("org.synthloom.djl"));
        List<String> notActive = new ArrayList<>();
        Set<String> seen = new java.util.TreeSet<>();
        for (Bundle bundle : context.getBundles()) {
            if (expected.contains(bundle.getSymbolicName())) {
                seen.add(bundle.getSymbolicName());
                if (bundle.getState() != Bundle.ACTIVE) {
                    notActive.add(bundle.getSymbolicName() + " in state " + bundle.getState());
                }
            }
        }
        assertEquals(expected, seen);
        assertEquals("bundles not active: " + notActive, List.of(), notActive);
    }

    @Test
    public void everySynthloomComponentIsActiveButThoseThatNeedTheLauncher() {
        List<String> problems = new ArrayList<>();
        int active = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("org.synthloom")) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                boolean needsLauncher = description.name.endsWith(".MainJob") || description.name.endsWith(".StdinConsole");
                if (needsLauncher) {
                    // The command line and the terminal shell: only the bnd launcher provides the service they wait for.
                    assertEquals(description.name, ComponentConfigurationDTO.UNSATISFIED_REFERENCE, configuration.state);
                    assertEquals("launcher", configuration.unsatisfiedReferences[0].name);
                } else if (configuration.state == ComponentConfigurationDTO.ACTIVE) {
                    active++;
                } else if (configuration.state != ComponentConfigurationDTO.SATISFIED) {
                    problems.add(description.name + " state " + configuration.state + " " + configuration.failure);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue("the device service and the hello pipeline are active, saw " + active, active >= 2);
    }

    @Test
    public void djlLoadsLibtorchOfflineFromItsBundle() {
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("PyTorch", devices.engine().getEngineName());
        assertTrue(devices.describe(), devices.describe().startsWith("PyTorch 2.7.1"));
        assertEquals(Device.cpu(), devices.device("cpu"));
        try (NDManager manager = devices.newManager(Device.cpu())) {
            NDArray x = manager.arange(6f).reshape(2, 3);
            // [[0,1,2],[3,4,5]] times its transpose is [[5,14],[14,50]]
            assertEquals(83f, x.matMul(x.transpose()).sum().getFloat(), 1e-5f);
        }
    }

    @Test
    public void typedConfigurationsAreDescribedByMetatype() {
        Bundle djl = Arrays.stream(context.getBundles()).filter(b -> "org.synthloom.djl".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        ObjectClassDefinition definition = metaTypes.getMetaTypeInformation(djl)
                .getObjectClassDefinition("org.synthloom.djl", null);
        AttributeDefinition device = Arrays.stream(definition.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .filter(a -> a.getID().equals("device")).findFirst().orElseThrow();
        assertEquals("auto", device.getDefaultValue()[0]);
        assertTrue(device.getDescription(), device.getDescription().contains("gpu:N"));
    }

    private Pipeline hello() throws InterruptedException {
        return Await.value("the hello pipeline service", TIMEOUT, () -> {
            try {
                for (ServiceReference<Pipeline> ref : context.getServiceReferences(Pipeline.class,
                        "(" + Pipeline.NAME_PROPERTY + "=hello)")) {
                    return context.getService(ref);
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    /** Trains the hello pipeline, returning the losses a RunListener service received. */
    private List<Double> trainAndListen(Pipeline pipeline) throws InterruptedException {
        List<RunEvent> received = new CopyOnWriteArrayList<>();
        ServiceRegistration<RunListener> listener = context.registerService(RunListener.class, received::add, null);
        try {
            Run run = pipeline.start();
            assertEquals(RunState.FINISHED, run.await(TIMEOUT));
            List<RunEvent> mine = received.stream().filter(e -> e.runId().equals(run.id())).collect(Collectors.toList());
            assertEquals(run.events(), mine);
            assertEquals(RunEvent.Type.FINISHED, mine.get(mine.size() - 1).type());
            return mine.stream().filter(e -> e.type() == RunEvent.Type.METRIC).map(e -> e.metrics().get("loss"))
                    .collect(Collectors.toList());
        } finally {
            listener.unregister();
        }
    }

    @Test
    public void aDjlTrainingRunInsideTheFrameworkLowersItsLoss() throws InterruptedException {
        List<Double> losses = trainAndListen(hello());
        assertEquals(20, losses.size());
        double first = losses.get(0);
        double last = losses.get(losses.size() - 1);
        assertTrue("loss fell from " + first + " to " + last, last < first / 5);
    }

    @Test
    public void theDjlBundleSurvivesStopAndStart() throws Exception {
        Bundle djl = null;
        for (Bundle bundle : context.getBundles()) {
            if ("org.synthloom.djl".equals(bundle.getSymbolicName())) {
                djl = bundle;
            }
        }
        assertNotNull(djl);
        djl.stop();
        Await.until("the device service to go away", TIMEOUT, () -> context.getServiceReference(DeviceService.class) == null);
        Await.until("the hello pipeline to go away with its device service", TIMEOUT,
                () -> context.getServiceReference(Pipeline.class) == null);
        djl.start();
        ServiceReference<DeviceService> back = Await.value("the device service to return", TIMEOUT,
                () -> context.getServiceReference(DeviceService.class));
        assertTrue(context.getService(back).describe().startsWith("PyTorch"));
        List<Double> losses = trainAndListen(hello());
        assertTrue("training still works after the restart: " + losses, losses.get(losses.size() - 1) < losses.get(0) / 5);
    }
}
