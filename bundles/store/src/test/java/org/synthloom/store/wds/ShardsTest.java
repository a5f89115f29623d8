package org.synthloom.store.wds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing, reading, skipping, shuffling and mixing raw samples in shards. */
class ShardsTest {

    @TempDir
    Path dir;

    private static RawSample sample(int i) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("txt", ("caption " + i).getBytes(StandardCharsets.UTF_8));
        members.put("json", ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        return new RawSample(String.format("s%05d", i), "", members);
    }

    private List<ShardInfo> writeShards(Path to, int count, int perShard) throws IOException {
        List<ShardInfo> completed = new ArrayList<>();
        try (ShardWriter writer = new ShardWriter(to, "part", perShard, 0, completed::add)) {
            for (int i = 0; i < count; i++) {
                writer.write(sample(i));
            }
        }
        return completed;
    }

    private static List<String> keys(RawSampleSource source) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Optional<RawSample> s = source.next(); s.isPresent(); s = source.next()) {
            keys.add(s.get().key());
        }
        return keys;
    }

    private List<Path> shardsIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".tar")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void writesFullShardsAndALastPartialOneThatReadBackInOrder() throws IOException {
        List<ShardInfo> shards = writeShards(dir, 25, 10);
        assertEquals(List.of(10, 10, 5), shards.stream().map(ShardInfo::samples).toList());
        assertEquals("part-000000.tar", shards.get(0).path().getFileName().toString());
        assertEquals("s00010", shards.get(1).firstKey());
        assertEquals("s00019", shards.get(1).lastKey());
        assertEquals(Files.size(shards.get(0).path()), shards.get(0).bytes());
        List<String> keys = keys(new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog()));
        assertEquals(25, keys.size());
        assertEquals("s00000", keys.get(0));
        assertEquals("s00024", keys.get(24));
        try (ShardReader reader = new ShardReader(shards.get(0).path(), new ProblemLog())) {
            RawSample first = reader.next().orElseThrow();
            assertArrayEquals("caption 0".getBytes(StandardCharsets.UTF_8), first.member("txt"));
            assertEquals(List.of("txt", "json"), new ArrayList<>(first.members().keySet()));
        }
    }

    @Test
    void shardsAreReproducibleByteForByteWithTheirHash() throws IOException {
        List<ShardInfo> a = writeShards(dir.resolve("a"), 12, 5);
        List<ShardInfo> b = writeShards(dir.resolve("b"), 12, 5);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i).path()), Files.readAllBytes(b.get(i).path()));
            assertEquals(a.get(i).sha256(), b.get(i).sha256());
        }
        assertNotEquals(a.get(0).sha256(), a.get(1).sha256());
    }

    @Test
    void anAbandonedShardLeavesNothingAndAResumedWriterContinuesTheNumbering() throws IOException {
        ShardWriter first = new ShardWriter(dir, "part", 4, 0, info -> { });
        for (int i = 0; i < 6; i++) {
            first.write(sample(i));
        }
        first.abandon();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("part-000000.tar"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (ShardWriter resumed = new ShardWriter(dir, "part", 4, 1, info -> { })) {
            for (int i = 4; i < 8; i++) {
                resumed.write(sample(i));
            }
        }
        assertEquals(List.of("s00000", "s00001", "s00002", "s00003", "s00004", "s00005", "s00006", "s00007"),
                keys(new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog())));
    }

    @Test
    void skippingLandsExactlyWhereReadingWouldAndAcrossShards() throws IOException {
        writeShards(dir, 23, 7);
        List<String> all = keys(new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog()));
        for (int skip : new int[] {0, 1, 6, 7, 8, 20, 22}) {
            try (ShardStream stream = new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog())) {
                assertEquals(skip, stream.skip(skip));
                assertEquals(all.subList(skip, all.size()), keys(stream), "after skipping " + skip);
            }
        }
        try (ShardStream stream = new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog())) {
            assertEquals(23, stream.skip(100), "skip stops at the end");
        }
    }

    @Test
    void resamplingShuffledShardsRepeatsEveryEpochInADifferentOrder() throws IOException {
        writeShards(dir, 30, 5);
        try (ShardStream stream = new ShardStream(shardsIn(dir), 3, true, true, new ProblemLog())) {
            List<String> epoch0 = new ArrayList<>();
            List<String> epoch1 = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                epoch0.add(stream.next().orElseThrow().key());
            }
            for (int i = 0; i < 30; i++) {
                epoch1.add(stream.next().orElseThrow().key());
            }
            assertEquals(1, stream.epoch());
            assertEquals(new java.util.TreeSet<>(epoch0), new java.util.TreeSet<>(epoch1));
            assertNotEquals(epoch0, epoch1);
        }
    }

    @Test
    void shuffleBufferIsAPermutationThatDependsOnlyOnTheSeed() throws IOException {
        writeShards(dir, 40, 10);
        List<String> ordered = keys(new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog()));
        List<String> a = keys(new ShuffleBuffer(new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog()), 16, 9));
        List<String> b = keys(new ShuffleBuffer(new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog()), 16, 9));
        List<String> c = keys(new ShuffleBuffer(new ShardStream(shardsIn(dir), 0, false, false, new ProblemLog()), 16, 10));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(ordered, a);
        assertEquals(new java.util.TreeSet<>(ordered), new java.util.TreeSet<>(a));
        assertEquals(40, a.size());
    }

    @Test
    void mixingFollowsTheWeightsAndFiniteSourcesDropOut() throws IOException {
        writeShards(dir.resolve("human"), 50, 10);
        List<ShardInfo> synthetic = new ArrayList<>();
        try (ShardWriter writer = new ShardWriter(dir.resolve("synthetic"), "syn", 10, 0, synthetic::add)) {
            for (int i = 0; i < 50; i++) {
                writer.write(new RawSample("g" + i, "", Map.of("txt", new byte[] {1})));
            }
        }
        RawSampleSource human = new ShardStream(shardsIn(dir.resolve("human")), 1, true, true, new ProblemLog());
        RawSampleSource generated = new ShardStream(shardsIn(dir.resolve("synthetic")), 2, true, true, new ProblemLog());
        try (MixedSource mix = new MixedSource(List.of(human, generated), new double[] {1, 3}, 5)) {
            int fromSynthetic = 0;
            for (int i = 0; i < 4000; i++) {
                if (mix.next().orElseThrow().key().startsWith("g")) {
                    fromSynthetic++;
                }
            }
            assertEquals(0.75, fromSynthetic / 4000.0, 0.03, "a quarter human, three quarters synthetic");
        }
        RawSampleSource finiteHuman = new ShardStream(shardsIn(dir.resolve("human")), 0, false, false, new ProblemLog());
        RawSampleSource finiteSynthetic = new ShardStream(shardsIn(dir.resolve("synthetic")), 0, false, false, new ProblemLog());
        assertEquals(100, keys(new MixedSource(List.of(finiteHuman, finiteSynthetic), new double[] {1, 1}, 5)).size());
    }

    // --- bad input ---

    private Path tar(String name, Map<String, byte[]> entries) throws IOException {
        Path path = dir.resolve(name);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(path))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                entry.setSize(e.getValue().length);
                out.putArchiveEntry(entry);
                out.write(e.getValue());
                out.closeArchiveEntry();
            }
        }
        return path;
    }

    @Test
    void anEntryThatClimbsOutOfTheShardIsSkippedAndReported() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("good1.txt", "ok".getBytes());
        entries.put("../../etc/passwd.txt", "root:x:0:0".getBytes());
        entries.put("/abs/evil.txt", "x".getBytes());
        entries.put("good2.txt", "ok".getBytes());
        Path shard = tar("hostile.tar", entries);
        ProblemLog problems = new ProblemLog();
        assertEquals(List.of("good1", "good2"), keys(new ShardReader(shard, problems)));
        assertEquals(2, problems.count());
        assertTrue(problems.problems().get(0).entry().equals("../../etc/passwd.txt"));
        assertTrue(problems.problems().get(0).reason().contains("climbs out"), problems.problems().toString());
        assertTrue(problems.problems().get(1).reason().contains("absolute"), problems.problems().toString());
    }

    @Test
    void aTruncatedShardKeepsTheSamplesBeforeTheCut() throws IOException {
        List<ShardInfo> shards = writeShards(dir, 10, 10);
        byte[] full = Files.readAllBytes(shards.get(0).path());
        Path cut = dir.resolve("cut.tar");
        Files.write(cut, Arrays.copyOf(full, full.length / 2 + 100));
        ProblemLog problems = new ProblemLog();
        List<String> keys = keys(new ShardReader(cut, problems));
        assertTrue(keys.size() >= 3 && keys.size() < 10, keys.toString());
        assertEquals("s00000", keys.get(0));
        assertEquals(1, problems.count());
        assertTrue(problems.problems().get(0).reason().contains("truncated"), problems.problems().toString());
        assertEquals(cut.toString(), problems.problems().get(0).location());
    }

    @Test
    void garbageAndMissingShardsAreReportedNotThrown() throws IOException {
        writeShards(dir, 5, 5);
        Path garbage = dir.resolve("garbage.tar");
        Files.write(garbage, "this is not a tar file at all, but it is long enough to be read".repeat(20).getBytes());
        ProblemLog problems = new ProblemLog();
        List<Path> shards = new ArrayList<>(shardsIn(dir));
        shards.add(dir.resolve("missing.tar"));
        List<String> keys = keys(new ShardStream(shards, 0, false, false, problems));
        assertEquals(5, keys.size());
        assertEquals(2, problems.count(), problems.problems().toString());
        assertTrue(problems.problems().stream().anyMatch(p -> p.location().endsWith("missing.tar")));
    }

    @Test
    void anOversizedMemberIsSkippedWithoutReadingIt() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry ok = new TarArchiveEntry("a.txt");
            ok.setSize(2);
            out.putArchiveEntry(ok);
            out.write("ok".getBytes());
            out.closeArchiveEntry();
        }
        // Append a header that claims a 1 GiB member, then end the archive: a hostile or broken shard.
        byte[] start = Arrays.copyOf(bytes.toByteArray(), 1024);
        ByteArrayOutputStream hostile = new ByteArrayOutputStream();
        hostile.write(start);
        TarArchiveEntry huge = new TarArchiveEntry("b.png");
        huge.setSize(1L << 30);
        byte[] header = new byte[512];
        huge.writeEntryHeader(header);
        hostile.write(header);
        hostile.write(new byte[1024]);
        Path shard = dir.resolve("huge.tar");
        Files.write(shard, hostile.toByteArray());
        ProblemLog problems = new ProblemLog();
        List<String> got = keys(new ShardReader(shard, problems));
        assertEquals(List.of("a"), got, problems.problems().toString());
        assertTrue(problems.problems().get(0).reason().contains("more than the limit"), problems.problems().toString());
    }
}
