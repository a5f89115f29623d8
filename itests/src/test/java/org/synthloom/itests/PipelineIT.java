package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.inject.Inject;

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
import org.synthloom.api.Plugins;
import org.synthloom.api.generate.ImageGenerator;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunListener;
import org.synthloom.api.run.RunState;
import org.synthloom.store.RunStore;

/**
 * A small pipeline on the shapes world in the default composition, configured by a JSON file
 * dropped into runtime-config: interrupted and resumed, with a stage component swapped mid-run,
 * waiting for a missing component.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PipelineIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String PIPELINE = "it-small";

    @Inject
    private BundleContext context;

    @Inject
    private RunStore store;

    private final List<RunEvent> events = new CopyOnWriteArrayList<>();
    private volatile java.util.function.Consumer<RunEvent> reaction = e -> { };

    @Configuration
    public Option[] configuration() {
        return new Option[] {Compositions.boot("synthloom", Compositions.workFolder(PipelineIT.class))};
    }

    @Before
    public void listen() {
        context.registerService(RunListener.class, e -> {
            events.add(e);
            reaction.accept(e);
        }, null);
    }

    private Path configFolder() {
        return Path.of(context.getProperty("felix.fileinstall.dir").split(",")[1]);
    }

    private Pipeline pipeline() throws Exception {
        if (!Files.exists(configFolder().resolve("org.synthloom.pipeline-it-small.json"))) {
            Pipelines.install("org.synthloom.pipeline-it-small.json", configFolder());
        }
        return Await.value("pipeline " + PIPELINE + " from its JSON file", TIMEOUT, () -> {
            try {
                for (ServiceReference<Pipeline> ref : context.getServiceReferences(Pipeline.class,
                        "(" + Pipeline.NAME_PROPERTY + "=" + PIPELINE + ")")) {
                    return context.getService(ref);
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    private Bundle bundle(String name) {
        return Arrays.stream(context.getBundles()).filter(b -> name.equals(b.getSymbolicName())).findFirst().orElseThrow();
    }

    private List<RunEvent> of(String runId, RunEvent.Type type) {
        return events.stream().filter(e -> e.runId().equals(runId) && e.type() == type).collect(Collectors.toList());
    }

    private static Run run(Pipeline pipeline) {
        return pipeline.start();
    }

    private static void restart(Bundle bundle) throws Exception {
        bundle.stop();
        bundle.start();
    }

    /** Waits for a state, failing at once if the run ends in another. */
    private static void awaitState(Run run, RunState state) throws InterruptedException {
        Await.until("run " + run.id() + " to be " + state, TIMEOUT, () -> {
            RunState now = run.state();
            if (now != state && now.isTerminal()) {
                throw new AssertionError("run " + run.id() + " ended " + now + " instead of reaching " + state + ": "
                        + run.events());
            }
            return now == state;
        });
    }

    @Test
    public void aRunStoppedMidwayResumesAndEndsWithTheSamplesOfAnUninterruptedRun() throws Exception {
        Path data = store.dataDirectory();
        Pipelines.delete(data.resolve("artifacts"));
        // Interrupted twice: cancelled at a batch boundary of the image stage, then of training, with the
        // engine bundle stopped and started between the starts (as across a restart of the runtime).
        Bundle engine = bundle("org.synthloom.pipeline");
        Run[] current = new Run[1];
        reaction = e -> {
            if (e.type() == RunEvent.Type.PROGRESS && e.message().equals("images") && e.step() >= 1) {
                reaction = x -> { };
                current[0].cancel();
            }
        };
        current[0] = run(pipeline());
        Run first = current[0];
        assertEquals(RunState.CANCELLED, first.await(TIMEOUT));
        int imagesBefore = Pipelines.shards(data, "images").size();
        restart(engine);
        reaction = e -> {
            if (e.type() == RunEvent.Type.CHECKPOINT && e.step() == 20) {
                reaction = x -> { };
                current[0].cancel();
            }
        };
        current[0] = run(pipeline());
        Run second = current[0];
        assertEquals("the same run resumes", first.id(), second.id());
        assertEquals(RunState.CANCELLED, second.await(TIMEOUT));
        restart(engine);
        Run third = run(pipeline());
        assertEquals(first.id(), third.id());
        assertEquals(RunState.FINISHED, third.await(TIMEOUT));
        assertTrue("the first stop came before every image shard was written: " + imagesBefore, imagesBefore < 4);
        Map<String, String> human = Pipelines.shards(data, "human");
        Map<String, String> images = Pipelines.shards(data, "images");
        assertEquals(6, human.size());
        assertEquals("4 concepts x 8 captions x 2 images in shards of 16", 4, images.size());
        List<Double> losses = store.metric(first.id(), "loss").stream().map(m -> m.value()).collect(Collectors.toList());
        double accuracy = store.latestMetrics(first.id()).get("zero_shot_accuracy");
        List<RunEvent> stored = store.events(first.id());
        for (int i = 0; i < stored.size(); i++) {
            assertEquals("event numbering continues across the stops", i, stored.get(i).sequence());
        }

        // Uninterrupted, from nothing: the same configuration must give the same shards and numbers.
        Pipelines.delete(data.resolve("artifacts"));
        Run clean = run(pipeline());
        assertNotEquals("a finished run is not resumed", first.id(), clean.id());
        assertEquals(RunState.FINISHED, clean.await(TIMEOUT));
        assertEquals(human, Pipelines.shards(data, "human"));
        assertEquals("no sample lost or duplicated by the stops", images, Pipelines.shards(data, "images"));
        List<Double> cleanLosses = store.metric(clean.id(), "loss").stream().map(m -> m.value()).collect(Collectors.toList());
        assertEquals(cleanLosses.size(), losses.size());
        for (int i = 0; i < losses.size(); i++) {
            assertEquals("loss at report " + i, cleanLosses.get(i), losses.get(i), 1e-4);
        }
        assertEquals(store.latestMetrics(clean.id()).get("zero_shot_accuracy"), accuracy, 1e-9);
    }

    @Test
    public void theImageGeneratorIsSwappedMidRunWithNoSampleLostOrDuplicated() throws Exception {
        Pipelines.delete(store.dataDirectory().resolve("artifacts"));
        Run[] run = new Run[1];
        reaction = e -> {
            if (e.type() == RunEvent.Type.PROGRESS && e.message().equals("images") && e.step() >= 1) {
                reaction = x -> { };
                run[0].pause(); // takes effect at the next batch boundary
            }
        };
        run[0] = run(pipeline());
        awaitState(run[0], RunState.PAUSED);
        // A new version of the bundle providing the generator, updated in place, as a plugin jar would be.
        Bundle shapes = bundle("org.synthloom.shapes");
        long before = context.getServiceReferences(ImageGenerator.class, Plugins.filter(ImageGenerator.KIND))
                .iterator().next().getProperty("service.id") instanceof Long id ? id : -1;
        byte[] jar = Files.readAllBytes(Path.of(shapes.getLocation().replace("reference:file:", "")));
        shapes.update(new java.io.ByteArrayInputStream(Jars.withVersion(jar, "0.1.1.itest")));
        Await.until("the updated generator to register", TIMEOUT, () -> {
            try {
                return context.getServiceReferences(ImageGenerator.class, Plugins.filter(ImageGenerator.KIND)).stream()
                        .anyMatch(r -> (Long) r.getProperty("service.id") > before);
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                return false;
            }
        });
        run[0].resume();
        assertEquals(RunState.FINISHED, run[0].await(TIMEOUT));
        List<RunEvent> swaps = of(run[0].id(), RunEvent.Type.COMPONENT_SWAPPED).stream()
                .filter(e -> e.message().startsWith("image generator:")).collect(Collectors.toList());
        assertEquals(swaps.toString(), 1, swaps.size());
        assertEquals("image-generator/shapes-renderer@0.1.1.itest", swaps.get(0).component());
        assertTrue(swaps.get(0).message(), swaps.get(0).message().endsWith("@0.1.0.SNAPSHOT -> image-generator/shapes-renderer@0.1.1.itest"));
        Map<String, String> images = Pipelines.shards(store.dataDirectory(), "images");
        assertEquals(4, images.size());
        // Every shard is full and keys are contiguous: nothing lost, nothing twice.
        List<String> keys = new java.util.ArrayList<>();
        for (Path shard : Files.list(store.dataDirectory().resolve("artifacts").resolve("images"))
                .flatMap(d -> {
                    try {
                        return Files.list(d);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).filter(p -> p.toString().endsWith(".tar")).sorted().collect(Collectors.toList())) {
            try (org.synthloom.store.wds.ShardReader reader = new org.synthloom.store.wds.ShardReader(shard,
                    new org.synthloom.store.wds.ProblemLog())) {
                for (var s = reader.next(); s.isPresent(); s = reader.next()) {
                    keys.add(s.get().key());
                }
            }
        }
        assertEquals(64, keys.size());
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(String.format("syn-%09d", i), keys.get(i));
        }
    }

    @Test
    public void aRunWhoseCaptionGeneratorIsMissingWaitsWithTheReasonAndResumesWhenItReturns() throws Exception {
        Pipelines.delete(store.dataDirectory().resolve("artifacts"));
        Bundle captioners = bundle("org.synthloom.captioners");
        captioners.stop();
        try {
            Run run = run(pipeline());
            awaitState(run, RunState.PAUSED);
            RunEvent paused = of(run.id(), RunEvent.Type.PAUSED).get(0);
            assertTrue(paused.message(), paused.message().contains("waiting for the caption generator"));
            assertTrue(paused.message(), paused.message().contains("(synthloom.name=template)"));
            captioners.start();
            assertEquals(RunState.FINISHED, run.await(TIMEOUT));
            assertEquals(1, of(run.id(), RunEvent.Type.RESUMED).size());
        } finally {
            if (captioners.getState() != Bundle.ACTIVE) {
                captioners.start();
            }
        }
    }
}
