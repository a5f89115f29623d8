package org.synthloom.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.datasets.internal.TestSupport.assertProblem;
import static org.synthloom.datasets.internal.TestSupport.readAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.store.wds.DecodingSource;
import org.synthloom.store.wds.RawSample;
import org.synthloom.store.wds.SampleCodec;
import org.synthloom.store.wds.ShardWriter;

/** The WebDataset importer on shards written with the store's ShardWriter. */
class WebDatasetDatasetTest {

    @TempDir
    Path data;
    Path shards;

    @BeforeEach
    void writeShards() throws IOException {
        shards = data.resolve("datasets/laion");
        SampleCodec codec = SampleCodec.create("unused");
        Provenance human = Provenance.human("shapes-world");
        try (ShardWriter writer = new ShardWriter(shards, "laion", 2, 0, info -> {})) {
            for (int i = 0; i < 3; i++) {
                writer.write(codec.encode(Sample.builder("s" + i).pixels(TestSupport.pixels(4, 4, i)).imageProvenance(human)
                        .caption(new Caption("caption " + i, human)).label("l" + i).build()));
            }
            // a corrupt image: skipped by the decoder and recorded
            writer.write(new RawSample("bad", "", Map.of("png", TestSupport.corruptPng(),
                    "txt", "bad".getBytes(StandardCharsets.UTF_8))));
            // img2dataset's layout: jpg + txt + json without provenance
            Map<String, byte[]> members = new LinkedHashMap<>();
            members.put("jpg", TestSupport.jpeg(8, 8, 5));
            members.put("txt", "a photo from the web".getBytes(StandardCharsets.UTF_8));
            members.put("json", "{\"url\":\"http://example.com/x.jpg\",\"caption\":\"a photo from the web\"}"
                    .getBytes(StandardCharsets.UTF_8));
            writer.write(new RawSample("000000005", "", members));
        }
        // laion-000000.tar (s0, s1), laion-000001.tar (s2, bad), laion-000002.tar (000000005)
    }

    WebDatasetDataset dataset(String... splits) {
        return new WebDatasetDataset(TestSupport.config(WebDatasetConfig.class,
                Map.of("synthloom.name", "laion", "splits", splits)), TestSupport.store(data));
    }

    @Test
    void readsTheShardsOfEachSplitInSortedOrder() throws IOException {
        WebDatasetDataset wds = dataset("train=datasets/laion/laion-{000001..000002}.tar",
                "train=datasets/laion/laion-000000.tar", "val=datasets/laion/laion-00000?.tar",
                "all=" + shards + "/*.tar");
        assertEquals(List.of("train", "val", "all"), wds.splits());
        assertEquals(-1, wds.size("train"));
        assertEquals(List.of(), wds.classNames());

        SampleSource source = wds.open("train");
        assertTrue(source instanceof DecodingSource);
        List<Sample> samples = readAll(source);
        assertEquals(List.of("s0", "s1", "s2", "000000005"), samples.stream().map(Sample::id).toList(),
                "shards in sorted order, not in pattern order");
        assertEquals(List.of("l0"), samples.get(0).labels());
        assertEquals(Provenance.human("shapes-world"), samples.get(0).imageProvenance(), "the shard's own provenance");
        assertEquals(Provenance.human("laion"), samples.get(3).imageProvenance(), "shards without one: the dataset's name");
        assertEquals("a photo from the web", samples.get(3).captions().get(0).text());
        assertEquals(1, source.problems().size(), TestSupport.describe(source.problems()));
        assertProblem(source.problems(), shards.resolve("laion-000001.tar").toString(), "bad", "corrupt PNG data",
                "the sample is skipped");

        assertEquals(4, readAll(wds.open("val")).size());
        assertEquals(4, readAll(wds.open("all")).size());
    }

    @Test
    void missingShardsOfARangeAreRecordedAndNoShardAtAllIsAnError() throws IOException {
        WebDatasetDataset wds = dataset("train=datasets/laion/laion-{000000..000004}.tar", "empty=datasets/none/*.tar");
        SampleSource source = wds.open("train");
        assertEquals(4, readAll(source).size());
        for (String missing : List.of("laion-000003.tar", "laion-000004.tar")) {
            assertTrue(source.problems().stream().anyMatch(p -> p.location().equals(shards.resolve(missing).toString())
                    && p.entry().isEmpty() && p.reason().startsWith("shard not found (named by 'datasets/laion/laion-"
                    + "{000000..000004}.tar'); it is skipped")), missing + TestSupport.describe(source.problems()));
        }
        assertEquals(3, source.problems().size(), "the two missing shards and the corrupt sample");
        IOException e = assertThrows(IOException.class, () -> wds.open("empty"));
        assertEquals("webdataset laion split empty: no shard matches [datasets/none/*.tar] (relative patterns start at "
                + data.toAbsolutePath() + ")", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> wds.open("test"));
    }

    @Test
    void aCorruptShardIsRecordedAndTheOthersRead() throws IOException {
        byte[] tar = Files.readAllBytes(shards.resolve("laion-000000.tar"));
        Files.write(shards.resolve("laion-000000.tar"), java.util.Arrays.copyOf(tar, 530)); // cut inside s0's png
        SampleSource source = dataset("train=datasets/laion/*.tar").open("train");
        List<Sample> samples = readAll(source);
        assertEquals(List.of("s2", "000000005"), samples.stream().map(Sample::id).toList());
        assertFalse(source.problems().isEmpty());
        assertTrue(source.problems().stream().anyMatch(p -> p.location().endsWith("laion-000000.tar")),
                TestSupport.describe(source.problems()));
    }

    @Test
    void badSplitEntriesFailActivationClearly() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dataset("datasets/laion/*.tar")).getMessage()
                .contains("'name=pattern'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dataset()).getMessage()
                .contains("'splits' is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dataset("train=datasets/*/x.tar")).getMessage()
                .contains("wildcard in a folder name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dataset("train=x-{000..003.tar")).getMessage()
                .contains("unbalanced '{'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dataset("train=x-{a..c}.tar")).getMessage()
                .contains("non-negative integers"));
    }

    @Test
    void braceExpansionAsWebDatasetWritesIt() {
        assertEquals(List.of("d/00000.tar", "d/00001.tar", "d/00002.tar"), ShardPattern.expand("d/{00000..00002}.tar"));
        assertEquals(List.of("8", "9", "10"), ShardPattern.expand("{8..10}"));
        assertEquals(List.of("08", "09", "10"), ShardPattern.expand("{08..10}"));
        assertEquals(List.of("3", "2", "1"), ShardPattern.expand("{3..1}"));
        assertEquals(List.of("a-1", "a-2", "b-1", "b-2"), ShardPattern.expand("{a,b}-{1..2}"));
        assertEquals(List.of("x{y}z"), ShardPattern.expand("x{y}z"), "not an expression: literal");
        assertEquals(List.of("a", "b", "c"), ShardPattern.expand("{a,{b,c}}"));
        assertEquals(100_000, ShardPattern.expand("{00000..99999}").size());
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.expand("{0..1000000}"));
        assertTrue(ShardPattern.wildcard("laion-*.tar", "laion-000001.tar"));
        assertTrue(ShardPattern.wildcard("laion-00000?.tar", "laion-000001.tar"));
        assertTrue(ShardPattern.wildcard("*", "x"));
        assertFalse(ShardPattern.wildcard("laion-*.tar", "laion-000001.tar.part"));
        assertFalse(ShardPattern.wildcard("?.tar", "10.tar"));
    }
}
