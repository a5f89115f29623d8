package org.synthloom.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.run.RunEvent;
import org.synthloom.api.run.RunState;
import org.synthloom.store.MetricPoint;

/**
 * The engine with {@code batch.grouping = caption} and CLIPS caption views (two sentence
 * sub-captions of at most 8 tokens per image): it trains, and a run cancelled in training resumes
 * to the losses of an uninterrupted one (the data position falls on group boundaries).
 */
class GroupedRunTest {

    @TempDir
    Path dir;

    private static Harness harness(Path data) {
        Harness h = new Harness(data).withPlugins();
        h.config.put("batch_grouping", "caption");
        h.config.put("caption_view", "sub");
        h.config.put("caption_view_tokens", 8);
        h.config.put("caption_views", 2);
        h.config.put("train_steps", 40);
        return h;
    }

    private static List<Double> losses(Harness h, String runId) {
        return h.store.metric(runId, "loss").stream().map(MetricPoint::value).toList();
    }

    @Test
    void aGroupedRunWithCaptionViewsTrainsAndResumesToTheSameLosses() throws Exception {
        List<Double> uninterrupted;
        try (Harness reference = harness(dir.resolve("reference"))) {
            PipelineRun run = reference.start();
            assertEquals(RunState.FINISHED, run.await(Duration.ofMinutes(3)), String.valueOf(reference.events));
            uninterrupted = losses(reference, run.id());
            assertEquals(4, uninterrupted.size());
            assertTrue(uninterrupted.get(3) < uninterrupted.get(0), "loss fell: " + uninterrupted);
        }
        try (Harness h = harness(dir.resolve("interrupted"))) {
            PipelineRun[] current = new PipelineRun[1];
            h.onEvent = e -> {
                if (e.type() == RunEvent.Type.METRIC && e.step() == 20) {
                    current[0].cancel();
                }
            };
            current[0] = h.start();
            assertEquals(RunState.CANCELLED, current[0].await(Duration.ofMinutes(3)));
            String id = current[0].id();
            h.onEvent = e -> { };
            current[0] = h.start();
            assertEquals(id, current[0].id(), "the same run resumes");
            assertEquals(RunState.FINISHED, current[0].await(Duration.ofMinutes(3)));
            List<Double> resumed = losses(h, id);
            assertEquals(uninterrupted.size(), resumed.size(), resumed.toString());
            for (int i = 0; i < resumed.size(); i++) {
                assertEquals(uninterrupted.get(i), resumed.get(i), 1e-5, "loss at report " + i);
            }
        }
    }
}
