package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.synthloom.api.Plugins;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.model.Fields;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunState;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.djl.DeviceService;
import org.synthloom.store.RunStore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The SDK as a stranger uses it: the two third-party example plugins of
 * {@code plugins-sdk/examples/external} (a caption generator and an objective, with no Synthloom
 * parent) are built with Maven offline against the artifacts this build installed, their jars are
 * dropped into the plugins folder of a running framework, their components become active services
 * of their kinds that answer calls, and a pipeline that selects them by name runs to the end.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExternalPluginsIT {

    private static final Duration BUILD = Duration.ofMinutes(10);
    private static final Duration DEPLOY = Duration.ofSeconds(30);
    private static final Duration RUN = Duration.ofMinutes(5);

    @Inject
    private BundleContext context;

    @Inject
    private DeviceService devices;

    @Inject
    private RunStore store;

    @Configuration
    public Option[] configuration() {
        return new Option[] {Compositions.boot("synthloom", Compositions.workFolder(ExternalPluginsIT.class))};
    }

    @Test
    public void thirdPartyPluginsBuiltOutsideTheReactorAreHotDeployedAndServeAPipeline() throws Exception {
        Path work = Path.of(System.getProperty("synthloom.itest.work")).resolve("external-plugins");
        build(Path.of(System.getProperty("synthloom.external.examples")), work);
        Path plugins = Path.of(context.getProperty("felix.fileinstall.dir").split(",")[0]);
        Path config = Path.of(context.getProperty("felix.fileinstall.dir").split(",")[1]);

        long start = System.nanoTime();
        drop(work.resolve("rhyme-captions/target/rhyme-captions-1.0.0.jar"), plugins.resolve("rhyme-captions.jar"));
        drop(work.resolve("smooth-clip/target/smooth-clip-1.0.0.jar"), plugins.resolve("smooth-clip.jar"));
        CaptionGenerator rhyme = service(CaptionGenerator.class, CaptionGenerator.KIND, "rhyme");
        Objective smooth = service(Objective.class, Objective.KIND, "smooth-clip");
        System.out.printf("external plugins: both active %d ms after the jars were dropped%n",
                (System.nanoTime() - start) / 1_000_000);
        assertEquals(Bundle.ACTIVE, bundle("org.example.synthloom.rhyme").getState());
        assertEquals(Bundle.ACTIVE, bundle("org.example.synthloom.smoothclip").getState());

        // They answer calls as services of their kinds.
        List<GeneratedCaption> captions = rhyme.generate(new CaptionRequest(
                List.of(Concept.of("red circle"), Concept.of("blue star")), 3, 1, List.of()));
        assertEquals(6, captions.size());
        assertTrue(captions.get(0).caption().text(), captions.get(0).caption().text().startsWith("a red circle "));
        assertEquals("rhyme", captions.get(5).caption().provenance().source());
        try (NDManager m = devices.newManager(devices.defaultDevice())) {
            NDArray images = m.eye(3);
            NDArray texts = m.eye(3);
            NDArray scale = m.create(10f);
            images.setName(Fields.IMAGE_EMBEDS);
            texts.setName(Fields.TEXT_EMBEDS);
            scale.setName(Fields.LOGIT_SCALE);
            LossOutput out = smooth.compute(new NDList(images, texts, scale), new NDList());
            float loss = out.loss().getFloat();
            assertTrue("loss " + loss, Float.isFinite(loss) && loss > 0);
            assertEquals(1f, out.metrics().get("i2t_accuracy").getFloat(), 0f);
        }

        // A pipeline selects them by name and runs to the end with them.
        Pipelines.install("org.synthloom.pipeline-it-external.json", config);
        Pipeline pipeline = Await.value("pipeline it-external", DEPLOY, () -> {
            try {
                for (ServiceReference<Pipeline> ref : context.getServiceReferences(Pipeline.class,
                        "(" + Pipeline.NAME_PROPERTY + "=it-external)")) {
                    return context.getService(ref);
                }
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        Run run = pipeline.start();
        RunState end = run.await(RUN);
        assertEquals("run " + run.id() + ": " + run.events(), RunState.FINISHED, end);
        assertTrue("the losses of smooth-clip were recorded", !store.metric(run.id(), "loss").isEmpty());
        String written = captionsWritten(store.dataDirectory());
        assertTrue("the captions stage wrote rhyme's captions: " + written.lines().findFirst().orElse(""),
                written.contains("\"rhyme\"") && written.contains("a red circle "));

        Files.delete(plugins.resolve("rhyme-captions.jar"));
        Files.delete(plugins.resolve("smooth-clip.jar"));
        Await.until("the external plugins to be uninstalled", DEPLOY,
                () -> bundleOrNull("org.example.synthloom.rhyme") == null && bundleOrNull("org.example.synthloom.smoothclip") == null);
    }

    /** Copies the example sources (without build output) and runs {@code mvn -o package} on them. */
    private static void build(Path sources, Path work) throws IOException, InterruptedException {
        Pipelines.delete(work);
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path relative = sources.relativize(p);
                if (relative.toString().contains("target")) {
                    continue;
                }
                Path target = work.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        String mavenHome = System.getProperty("synthloom.maven.home");
        Path mvn = mavenHome == null || mavenHome.isBlank() ? Path.of("mvn") : Path.of(mavenHome, "bin", "mvn");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-o", "package"));
        String repository = System.getProperty("synthloom.maven.repo");
        if (repository != null && !repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        Path log = work.resolve("build.log");
        long start = System.nanoTime();
        Process maven = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!maven.waitFor(BUILD.toSeconds(), TimeUnit.SECONDS)) {
            maven.destroyForcibly();
            fail("the external plugins' build took longer than " + BUILD + "; log " + log);
        }
        if (maven.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            fail(String.join(" ", command) + " failed with " + maven.exitValue() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        System.out.printf("external plugins: built with their tests in %d s (%s)%n", (System.nanoTime() - start) / 1_000_000_000,
                String.join(" ", command));
    }

    private static void drop(Path jar, Path target) throws IOException {
        Path partial = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private <S> S service(Class<S> type, String kind, String name) throws InterruptedException {
        return Await.value(kind + "/" + name + " to be active", DEPLOY, () -> {
            try {
                for (ServiceReference<S> ref : context.getServiceReferences(type, Plugins.filter(kind, name))) {
                    return context.getService(ref);
                }
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    private Bundle bundleOrNull(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private Bundle bundle(String symbolicName) {
        Bundle b = bundleOrNull(symbolicName);
        if (b == null) {
            throw new AssertionError("no bundle " + symbolicName);
        }
        return b;
    }

    /** The text of every captions.jsonl the captions stage wrote. */
    private static String captionsWritten(Path data) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(data.resolve("artifacts").resolve("captions"))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().equals("captions.jsonl"))::iterator) {
                all.append(Files.readString(p));
            }
        }
        return all.toString();
    }
}
