package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.synthloom.api.run.Experiment;
import org.synthloom.api.run.ExperimentRun;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.RunState;
import org.synthloom.store.RunRecord;
import org.synthloom.store.RunStore;

/**
 * An experiment configured by a JSON file in runtime-config runs its variants and seeds as pipelines
 * made through ConfigAdmin (values typed by the pipeline's Metatype), tags their runs, writes its
 * table, removes the pipelines it made, and reuses finished runs when started again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExperimentIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(8);

    @Inject
    private BundleContext context;

    @Inject
    private RunStore store;

    @Inject
    private ConfigurationAdmin configurations;

    @Configuration
    public Option[] configuration() {
        return new Option[] {Compositions.boot("synthloom", Compositions.workFolder(ExperimentIT.class))};
    }

    private Experiment experiment() throws Exception {
        Path folder = Path.of(context.getProperty("felix.fileinstall.dir").split(",")[1]);
        Pipelines.install("org.synthloom.pipeline-it-small.json", folder);
        Pipelines.install("org.synthloom.experiment-it-budget.json", folder);
        return Await.value("experiment it-budget", TIMEOUT, () -> {
            try {
                var refs = context.getServiceReferences(Experiment.class, "(synthloom.experiment=it-budget)");
                return refs.isEmpty() ? null : context.getService(refs.iterator().next());
            } catch (Exception e) {
                return null;
            }
        });
    }

    @Test
    public void anExperimentRunsEveryVariantAndSeedAndTabulatesThem() throws Exception {
        Experiment experiment = experiment();
        assertEquals(List.of("human-48", "human-96"), experiment.variants());
        assertEquals(List.of(1L, 2L), experiment.seeds());

        ExperimentRun execution = experiment.start();
        Set<String> seen = new java.util.concurrent.ConcurrentSkipListSet<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!execution.state().isTerminal() && System.nanoTime() < deadline) {
            execution.currentRun().ifPresent(run -> seen.add(run.pipeline()));
            execution.await(Duration.ofMillis(100));
        }
        assertEquals(execution.summary(), RunState.FINISHED, execution.state());
        assertEquals(Set.of("it-budget.human-48.s1", "it-budget.human-96.s1", "it-budget.human-48.s2",
                "it-budget.human-96.s2"), seen);

        List<RunRecord> runs = store.runsTagged("experiment", "it-budget");
        assertEquals(4, runs.size());
        for (RunRecord run : runs) {
            assertEquals(RunState.FINISHED, run.state());
            String seed = store.tags(run.id()).get("seed");
            assertTrue(run.configuration(), run.configuration().contains("\"seed\": " + seed));
            boolean small = run.pipeline().contains("human-48");
            assertTrue("the variant's budget, typed as an integer by the Metatype: " + run.configuration(),
                    run.configuration().contains("\"human.limit\": " + (small ? 48 : 96)));
            assertTrue(run.configuration(), run.configuration().contains("\"captions.per.concept\": 0"));
        }

        String table = Files.readString(execution.table().orElseThrow());
        assertTrue(table, table.contains("| variant | zero_shot_accuracy | loss |"));
        assertTrue(table, table.matches("(?s).*\\| human-48 \\| [0-9.]+ ± [0-9.]+ \\(2\\) \\| [0-9.]+ ± [0-9.]+ \\(2\\) \\|.*"));
        Path directory = execution.table().get().getParent();
        assertTrue(Files.exists(directory.resolve("zero_shot_accuracy.png")));
        assertTrue(Files.exists(directory.resolve("results.csv")));

        Await.until("the generated pipelines are removed", Duration.ofSeconds(30), () -> {
            try {
                return context.getServiceReferences(Pipeline.class, "(synthloom.pipeline=it-budget.*)").isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        assertNull("the generated configurations are deleted", configurations.listConfigurations("(name=it-budget.*)"));

        // Started again: every run is found finished; no run is added.
        ExperimentRun again = experiment.start();
        assertEquals(RunState.FINISHED, again.await(TIMEOUT));
        assertEquals(4, store.runsTagged("experiment", "it-budget").size());
        assertEquals(Files.readString(again.table().orElseThrow()), table);
    }
}
