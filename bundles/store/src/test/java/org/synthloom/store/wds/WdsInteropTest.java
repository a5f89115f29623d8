package org.synthloom.store.wds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Sample;
import org.synthloom.store.PythonWithNumpy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Shards written here are read by Python's tarfile (the way webdataset groups members) and NumPy, and vice versa. */
class WdsInteropTest {

    @TempDir
    Path dir;

    @Test
    void pythonReadsOurShards() throws Exception {
        List<ShardInfo> shards = new ArrayList<>();
        SampleCodec codec = SampleCodec.create("x");
        try (ShardWriter writer = new ShardWriter(dir, "synthetic", 100, 0, shards::add)) {
            writer.write(codec.encode(SampleCodecTest.full()));
            writer.write(codec.encode(SampleCodecTest.full().toBuilder("syn-000000008").build()));
        }
        JsonArray samples = JsonParser.parseString(PythonWithNumpy.run("read", shards.get(0).path().toString()))
                .getAsJsonArray();
        assertEquals(2, samples.size());
        JsonObject first = samples.get(0).getAsJsonObject();
        assertEquals("syn-000000007", first.get("key").getAsString());
        assertEquals("[\"emb.npy\",\"json\",\"npy\",\"png\",\"txt\"]", first.get("members").toString());
        assertEquals("[8,8]", first.get("png_size").toString());
        assertEquals("a red circle", first.get("txt").getAsString());
        JsonObject json = first.getAsJsonObject("json");
        assertEquals("un cercle rouge \u00e9", json.getAsJsonArray("captions").get(1).getAsJsonObject().get("text").getAsString());
        assertEquals("synthetic", json.getAsJsonObject("image").get("origin").getAsString());
        assertEquals(99, json.getAsJsonObject("image").get("seed").getAsLong());
        JsonObject tokens = first.getAsJsonObject("npy");
        assertEquals("int32", tokens.get("dtype").getAsString());
        assertEquals("[2,3]", tokens.get("shape").toString());
        assertEquals("[0,5,511,7,8,9]", tokens.get("values").toString());
        assertEquals("float32", first.getAsJsonObject("emb.npy").get("dtype").getAsString());
        assertEquals("[0.5,-1.0,2.0,0.0]", first.getAsJsonObject("emb.npy").get("values").toString());
    }

    @Test
    void weReadShardsPythonWrites() throws Exception {
        for (String format : new String[] {"pax", "gnu"}) {
            Path shard = dir.resolve(format + ".tar");
            PythonWithNumpy.run("write", shard.toString(), format);
            ProblemLog problems = new ProblemLog();
            List<Sample> samples = new ArrayList<>();
            try (DecodingSource source = new DecodingSource(new ShardReader(shard, problems), SampleCodec.create("py"), problems)) {
                for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                    samples.add(s.get());
                }
            }
            assertEquals(List.of(), problems.problems(), format);
            assertEquals(4, samples.size(), format);
            Sample first = samples.get(0);
            assertEquals("sample0000", first.id());
            assertEquals("a caption number 0 \u00e9", first.captions().get(0).text(), "txt wins over json's caption");
            assertEquals(List.of("class0"), first.labels());
            assertEquals(4, first.pixels().orElseThrow().width());
            assertEquals(200, first.pixels().orElseThrow().data()[0] & 0xff);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, first.tokens().orElseThrow().ids());
            assertEquals(2, first.tokens().orElseThrow().rows());
            assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7}, samples.get(2).tokens().orElseThrow().ids());
            Sample longName = samples.get(3);
            assertTrue(longName.id().startsWith("a_very_long_directory_name"), longName.id());
            assertEquals("long name sample", longName.captions().get(0).text());
        }
    }
}
