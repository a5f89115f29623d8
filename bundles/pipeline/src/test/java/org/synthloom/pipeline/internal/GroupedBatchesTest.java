package org.synthloom.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.model.Fields;
import org.synthloom.batch.BatchBuilder;
import org.synthloom.batch.HostBatch;
import org.synthloom.imageio.ResizeMode;
import org.synthloom.store.wds.RawSample;
import org.synthloom.store.wds.RawSampleSource;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.testkit.Utf8Tokenizer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** {@code batch.grouping = caption}: whole caption groups per batch, over one finite epoch. */
class GroupedBatchesTest {

    private static final int PER_CAPTION = 3;
    private static final SampleCodec CODEC = SampleCodec.create("test");

    /** A finite stream of raw samples. */
    private static RawSampleSource of(List<RawSample> samples) {
        Iterator<RawSample> it = samples.iterator();
        return new RawSampleSource() {
            @Override
            public Optional<RawSample> next() {
                return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
            }

            @Override
            public void close() {}
        };
    }

    private static RawSample raw(String key, String caption, boolean synthetic) {
        Sample sample = Sample.builder(key).pixels(new ImagePixels(2, 2, 1, new byte[4]))
                .imageProvenance(synthetic ? Provenance.synthetic("gen", "1", 1L) : Provenance.human("test"))
                .caption(new Caption(caption, Provenance.human("test"))).build();
        return CODEC.encode(sample);
    }

    /** 30 human samples (two share a caption) and 20 captions with 3 images each, in generation order. */
    private static List<RawSample> human() {
        List<RawSample> human = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            human.add(raw("h" + i, i < 2 ? "a shared human caption" : "human caption " + i, false));
        }
        return human;
    }

    private static List<RawSample> synthetic() {
        List<RawSample> synthetic = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            for (int i = 0; i < PER_CAPTION; i++) {
                synthetic.add(raw("s" + c + "-" + i, "synthetic caption " + c, true));
            }
        }
        return synthetic;
    }

    private static GroupedBatches grouped(int batchSize, int shuffle) {
        return GroupedBatches.of(of(human()), of(synthetic()), 0.5, PER_CAPTION, shuffle, 3, 4, batchSize);
    }

    private static List<List<RawSample>> drain(BatchSource source) throws IOException {
        List<List<RawSample>> batches = new ArrayList<>();
        for (List<RawSample> b = source.next(); !b.isEmpty(); b = source.next()) {
            batches.add(b);
        }
        return batches;
    }

    private static String caption(RawSample raw) {
        return new String(raw.member("txt"), StandardCharsets.UTF_8);
    }

    @Test
    void groupsAreNeverSplitAndAnEpochHasEverySampleOnce() throws IOException {
        for (int batchSize : List.of(3, 4, 8, 16)) {
            for (int shuffle : List.of(1, 10, 1000)) {
                List<List<RawSample>> batches = drain(grouped(batchSize, shuffle));
                List<String> keys = new ArrayList<>();
                Map<String, Integer> batchOfCaption = new HashMap<>();
                for (int b = 0; b < batches.size(); b++) {
                    List<RawSample> batch = batches.get(b);
                    assertTrue(batch.size() <= batchSize, "batch " + b + " holds " + batch.size());
                    if (b < batches.size() - 1) {
                        assertTrue(batch.size() > batchSize - PER_CAPTION, "packed: batch " + b + " holds " + batch.size()
                                + " of " + batchSize);
                    }
                    for (RawSample raw : batch) {
                        keys.add(raw.key());
                        if (raw.key().startsWith("s")) {
                            Integer before = batchOfCaption.putIfAbsent(caption(raw), b);
                            assertEquals(before == null ? b : before, b, caption(raw) + " is split across batches");
                        }
                    }
                }
                assertEquals(30 + 20 * PER_CAPTION, keys.size(), "no sample lost or repeated");
                assertEquals(keys.size(), new HashSet<>(keys).size(), "no sample repeated");
                assertEquals(20, batchOfCaption.size());
            }
        }
    }

    @Test
    void synthetticGroupsAreShuffledAndMixedAtTheSampleRatio() throws IOException {
        List<String> order = new ArrayList<>();
        int synthetic = 0;
        int taken = 0;
        for (List<RawSample> batch : drain(grouped(8, 1000))) {
            for (RawSample raw : batch) {
                order.add(raw.key());
                if (taken++ < 40) {
                    synthetic += raw.key().startsWith("s") ? 1 : 0;
                }
            }
        }
        assertTrue(synthetic >= 12 && synthetic <= 28, "about half of the first 40 samples are synthetic: " + synthetic);
        List<String> humanOrder = order.stream().filter(k -> k.startsWith("h")).toList();
        assertTrue(!humanOrder.equals(human().stream().map(RawSample::key).toList()), "human samples are shuffled");
    }

    @Test
    void resumingAtAPositionGivesTheSameBatches() throws IOException {
        List<List<RawSample>> all = drain(grouped(7, 50));
        long position = 0;
        for (int b = 0; b < 5; b++) {
            position += all.get(b).size();
        }
        GroupedBatches resumed = grouped(7, 50);
        assertEquals(position, resumed.skip(position));
        List<List<RawSample>> rest = drain(resumed);
        assertEquals(all.size() - 5, rest.size());
        for (int b = 0; b < rest.size(); b++) {
            assertEquals(all.get(5 + b).stream().map(RawSample::key).toList(), rest.get(b).stream().map(RawSample::key).toList());
        }
    }

    @Test
    void aCaptionWrittenTwiceInARowMakesTwoGroups() throws IOException {
        List<RawSample> synthetic = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < PER_CAPTION; i++) {
                // Captions 1 and 2 have the same text: two captions' images, one after the other.
                synthetic.add(raw("s" + c + "-" + i, "synthetic caption " + (c == 2 ? 1 : c), true));
            }
        }
        GroupedBatches.Groups groups = GroupedBatches.consecutive(of(synthetic), PER_CAPTION);
        List<Integer> sizes = new ArrayList<>();
        for (Optional<List<RawSample>> g = groups.next(); g.isPresent(); g = groups.next()) {
            sizes.add(g.get().size());
            assertEquals(1, g.get().stream().map(GroupedBatchesTest::caption).distinct().count());
        }
        assertEquals(List.of(3, 3, 3, 3), sizes);
        List<List<RawSample>> batches = drain(GroupedBatches.of(of(List.of()), of(synthetic), 1, PER_CAPTION, 4, 1, 2,
                PER_CAPTION));
        assertEquals(4, batches.size(), "a batch of 3 takes one caption's images at a time");
    }

    @Test
    void aGroupLargerThanTheBatchIsAnError() {
        StageFailure e = assertThrows(StageFailure.class, () -> drain(grouped(2, 1)));
        assertTrue(e.getMessage().contains("3 samples") && e.getMessage().contains("batch of 2"), e.getMessage());
    }

    /**
     * What the multi-positive objective reads: its {@code positives} metric is the mean number of
     * rows sharing a row's caption group. With grouping, synthetic rows have all their caption's
     * images; without, the shuffled stream scatters them.
     */
    @Test
    void theMultiPositiveObjectiveSeesWholeGroups() throws IOException {
        BatchBuilder builder = new BatchBuilder(new Utf8Tokenizer(), List.of(), 2, ResizeMode.CENTER_CROP, 32, true, false, 1);
        double groupedPositives = 0;
        int rows = 0;
        for (List<RawSample> batch : drain(grouped(16, 1000))) {
            int[] groups = groups(builder, batch);
            for (int i = 0; i < groups.length; i++) {
                int same = count(groups, groups[i]);
                if (batch.get(i).key().startsWith("s")) {
                    assertEquals(PER_CAPTION, same, "a synthetic row has every image of its caption as a positive");
                }
                groupedPositives += same;
                rows++;
            }
        }
        groupedPositives /= rows;
        double ungroupedPositives = 0;
        rows = 0;
        BatchSource ungrouped = BatchSource.fixed(new org.synthloom.store.wds.ShuffleBuffer(new org.synthloom.store.wds
                .MixedSource(List.of(of(human()), of(synthetic())), new double[] {0.5, 0.5}, 3), 1000, 4), 16);
        for (List<RawSample> batch : drain(ungrouped)) {
            for (int g : groups(builder, batch)) {
                ungroupedPositives += count(groups(builder, batch), g);
                rows++;
            }
        }
        ungroupedPositives /= rows;
        assertTrue(groupedPositives > 1.8, "grouped positives per row " + groupedPositives);
        assertTrue(ungroupedPositives < groupedPositives - 0.5, "shuffled without grouping: " + ungroupedPositives
                + " positives per row, grouped " + groupedPositives);
    }

    private static int[] groups(BatchBuilder builder, List<RawSample> batch) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (RawSample raw : batch) {
            samples.add(CODEC.decode(raw));
        }
        HostBatch host = builder.build(samples, 0);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            return host.toNDList(manager, Device.cpu()).get(Fields.CAPTION_GROUPS).toIntArray();
        }
    }

    private static int count(int[] values, int value) {
        int n = 0;
        for (int v : values) {
            n += v == value ? 1 : 0;
        }
        return n;
    }

    @Test
    void theSpecChecksGroupingAndViews() {
        Map<String, Object> config = new HashMap<>();
        config.put("batch_grouping", "caption");
        config.put("images_per_caption", 8);
        config.put("batch_size", 4);
        config.put("caption_view", "half");
        config.put("caption_views", 0);
        PipelineSpec spec = spec(config);
        assertTrue(spec.problems.stream().anyMatch(p -> p.contains("batch.size (4) must be at least images.per.caption (8)")),
                spec.problems.toString());
        assertTrue(spec.problems.stream().anyMatch(p -> p.contains("'half'")), spec.problems.toString());
        config.put("caption_view", "sub");
        assertTrue(spec(config).problems.stream().anyMatch(p -> p.contains("caption.views must be positive")),
                spec(config).problems.toString());
        config.put("batch_grouping", "captions");
        assertTrue(spec(config).problems.stream().anyMatch(p -> p.contains("batch.grouping 'captions'")));

        PipelineSpec defaults = spec(new HashMap<>());
        assertTrue(defaults.problems.isEmpty(), defaults.problems.toString());
        assertTrue(!defaults.effective().has("batch.grouping") && !defaults.effective().has("caption.view"),
                "defaults leave the configuration's hash as it was before these options");
        Map<String, Object> clips = new HashMap<>(Map.of("caption_view", "block-mask", "caption_view_tokens", 16,
                "caption_views", 2, "caption_view_include_full", true, "batch_grouping", "caption"));
        PipelineSpec set = spec(clips);
        assertTrue(set.problems.isEmpty(), set.problems.toString());
        assertEquals(3, set.captionViews.rowsPerImage());
        assertEquals("block-mask", set.effective().get("caption.view").getAsString());
        assertTrue(set.groupByCaption);
        assertTrue(!set.hash.equals(defaults.hash));
    }

    private static PipelineSpec spec(Map<String, Object> config) {
        return new PipelineSpec(org.synthloom.testkit.Configs.of(PipelineConfig.class, config),
                Map.of("service.pid", "org.synthloom.pipeline~grouping"));
    }
}
