package org.synthloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.Test;
import org.synthloom.store.RunRecord;
import org.synthloom.store.internal.H2RunStore;

/**
 * The runtime as a user starts it ({@code java -jar synthloom.jar}), killed with SIGKILL in the
 * middle of training and started again: the run resumes from its last checkpoint and ends exactly
 * where an uninterrupted run ends, with every shard, event and metric of the killed part kept.
 */
public class ProcessKillIT {

    private static final long TIMEOUT_SECONDS = 600;

    /** A Synthloom home with the small test pipeline and quiet logging. */
    private static Path home(String name) throws IOException {
        Path home = Path.of(System.getProperty("synthloom.itest.work"), "ProcessKillIT", name);
        Pipelines.delete(home);
        Path config = Files.createDirectories(home.resolve("runtime-config"));
        Files.createDirectories(home.resolve("plugins"));
        Pipelines.install("org.synthloom.pipeline-it-small.json", config);
        try (var in = ProcessKillIT.class.getResourceAsStream("/itest-logging.cfg")) {
            Files.copy(in, config.resolve("org.ops4j.pax.logging.cfg"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(config.resolve("org.synthloom.runtime.cfg"), "default.pipeline = it-small\n");
        Files.writeString(config.resolve("org.synthloom.console.cfg"), "port = 0\n"); // 8765 may be taken
        return home;
    }

    /** Starts the runtime in a home; the returned process's output is read line by line. */
    private static Process start(Path home) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Dlaunch.storage.dir=" + home.resolve("data/framework"),
                "-jar", System.getProperty("synthloom.runtime.jar"), "--exit");
        return builder.directory(home.toFile()).redirectErrorStream(true).start();
    }

    /** Reads the output until a line matches (then returns it) or the process ends (then returns null). */
    private static String readUntil(Process process, List<String> transcript, Predicate<String> wanted) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            transcript.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
        return null;
    }

    private static int runToEnd(Path home, List<String> transcript) throws Exception {
        Process process = start(home);
        readUntil(process, transcript, line -> false);
        assertTrue("the runtime ended in time", process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return process.exitValue();
    }

    private static List<Double> losses(Path data, String runId) {
        try (H2RunStore store = new H2RunStore(data)) {
            return store.metric(runId, "loss").stream().map(m -> m.value()).collect(Collectors.toList());
        }
    }

    private static RunRecord onlyRun(Path data) {
        try (H2RunStore store = new H2RunStore(data)) {
            List<RunRecord> runs = store.runs();
            assertEquals(runs.toString(), 1, runs.size());
            return runs.get(0);
        }
    }

    @Test
    public void aRunKilledDuringTrainingResumesToTheResultOfAnUninterruptedRun() throws Exception {
        Path killed = home("killed");
        List<String> transcript = new ArrayList<>();
        Process first = start(killed);
        String line = readUntil(first, transcript, l -> l.startsWith("checkpoint at step 20"));
        assertTrue("training reached its second checkpoint: " + transcript, line != null);
        first.destroyForcibly();
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        assertEquals("killed with SIGKILL", 137, first.exitValue());
        Path data = killed.resolve("data");
        String runId = onlyRun(data).id();
        List<Double> beforeKill = losses(data, runId);
        assertTrue("metrics reported before the kill are kept: " + beforeKill, beforeKill.size() >= 4);

        List<String> resumed = new ArrayList<>();
        assertEquals(String.join("\n", resumed), 0, runToEnd(killed, resumed));
        String started = resumed.stream().filter(l -> l.startsWith("started ")).findFirst().orElseThrow();
        assertTrue(started, started.contains("resuming " + runId));
        assertTrue(String.join("\n", resumed), resumed.stream().anyMatch(l -> l.startsWith("finished: it-small")));
        RunRecord run = onlyRun(data);
        assertEquals(runId, run.id());

        Path clean = home("uninterrupted");
        List<String> uninterrupted = new ArrayList<>();
        assertEquals(String.join("\n", uninterrupted), 0, runToEnd(clean, uninterrupted));
        Path cleanData = clean.resolve("data");
        assertEquals(Pipelines.shards(cleanData, "human"), Pipelines.shards(data, "human"));
        assertEquals(Pipelines.shards(cleanData, "images"), Pipelines.shards(data, "images"));
        List<Double> expected = losses(cleanData, onlyRun(cleanData).id());
        List<Double> actual = losses(data, runId);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals("loss at report " + i, expected.get(i), actual.get(i), 1e-4);
        }
    }
}
