package org.synthloom.store.wds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Embedding;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.imageio.ImageCodec;

class SampleCodecTest {

    static ImagePixels image(int size, int seed) {
        byte[] data = new byte[size * size * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + seed * 7);
        }
        return new ImagePixels(size, size, 3, data);
    }

    static Sample full() {
        Provenance generator = Provenance.synthetic("shapes-renderer", "1.0.0", 99);
        return Sample.builder("syn-000000007").pixels(image(8, 1))
                .tokens(new TokenGrid(2, 3, new int[] {0, 5, 511, 7, 8, 9}, "vqgan@1.0.0", 512))
                .embedding(new Embedding(new float[] {0.5f, -1f, 2f, 0f}, new int[] {2, 2}, "vit@1.0.0"))
                .imageProvenance(generator)
                .caption(new Caption("a red circle", Provenance.synthetic("template", "1.0.0", 5)))
                .caption(new Caption("un cercle rouge \u00e9", Provenance.human("shapes-world")))
                .label("red circle").metadata("scene", "{\"x\":1}").build();
    }

    @Test
    void roundTripsEverythingASampleCarries() throws IOException {
        SampleCodec codec = SampleCodec.create("fallback");
        Sample original = full();
        RawSample raw = codec.encode(original);
        assertEquals(List.of("png", "txt", "json", "npy", "emb.npy"), List.copyOf(raw.members().keySet()));
        assertEquals("a red circle", new String(raw.member("txt"), StandardCharsets.UTF_8));
        Sample back = codec.decode(new RawSample(raw.key(), "shard.tar", raw.members()));
        assertEquals(original, back);
    }

    @Test
    void pixelDecodingCanBeLeftOut() throws IOException {
        SampleCodec codec = SampleCodec.create("x").withPixelDecoding(false);
        Sample back = codec.decode(codec.encode(full()));
        assertTrue(back.pixels().isEmpty());
        assertTrue(back.tokens().isPresent());
    }

    @Test
    void readsImg2datasetStyleSamples() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("jpg", ImageCodec.encodeJpeg(image(16, 2), 0.9f));
        members.put("txt", "  a dog on a beach \n".getBytes(StandardCharsets.UTF_8));
        members.put("json", "{\"url\":\"http://x\",\"caption\":\"a dog on a beach\",\"key\":\"000000012\",\"status\":\"success\"}"
                .getBytes(StandardCharsets.UTF_8));
        members.put("cls", "3".getBytes(StandardCharsets.UTF_8));
        Sample sample = SampleCodec.create("laion-sample").decode(new RawSample("000000012", "00000.tar", members));
        assertEquals("000000012", sample.id());
        assertEquals(16, sample.pixels().orElseThrow().width());
        assertEquals(List.of(new Caption("a dog on a beach", Provenance.human("laion-sample"))), sample.captions());
        assertEquals(List.of("3"), sample.labels());
        assertEquals(Provenance.human("laion-sample"), sample.imageProvenance());
    }

    @Test
    void badMembersAreNamedInTheError() {
        SampleCodec codec = SampleCodec.create("x");
        Map<String, byte[]> corruptImage = Map.of("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3},
                "txt", "a".getBytes());
        IOException png = assertThrows(IOException.class, () -> codec.decode(new RawSample("k1", "s.tar", corruptImage)));
        assertTrue(png.getMessage().contains("s.tar:k1.png"), png.getMessage());

        Map<String, byte[]> badText = Map.of("png", ImageCodec.encodePng(image(4, 0)), "txt", new byte[] {(byte) 0xff, (byte) 0xfe});
        IOException utf8 = assertThrows(IOException.class, () -> codec.decode(new RawSample("k2", "s.tar", badText)));
        assertTrue(utf8.getMessage().contains("k2.txt") && utf8.getMessage().contains("UTF-8"), utf8.getMessage());

        Map<String, byte[]> badJson = Map.of("png", ImageCodec.encodePng(image(4, 0)), "json", "{not json".getBytes());
        IOException json = assertThrows(IOException.class, () -> codec.decode(new RawSample("k3", "s.tar", badJson)));
        assertTrue(json.getMessage().contains("k3.json"), json.getMessage());

        Map<String, byte[]> nothing = Map.of("txt", "a caption without an image".getBytes());
        IOException empty = assertThrows(IOException.class, () -> codec.decode(new RawSample("k4", "s.tar", nothing)));
        assertTrue(empty.getMessage().contains("no image"), empty.getMessage());

        Map<String, byte[]> webp = Map.of("webp", new byte[] {1, 2, 3}, "txt", "x".getBytes());
        IOException unsupported = assertThrows(IOException.class, () -> codec.decode(new RawSample("k5", "s.tar", webp)));
        assertTrue(unsupported.getMessage().contains("WebP"), unsupported.getMessage());
    }

    @Test
    void emptyAndBlankCaptionsAreDroppedNotFatal() throws IOException {
        Map<String, byte[]> members = Map.of("png", ImageCodec.encodePng(image(4, 0)), "txt", "   \n".getBytes());
        Sample sample = SampleCodec.create("x").decode(new RawSample("k", "s.tar", members));
        assertTrue(sample.captions().isEmpty());
        assertArrayEquals(image(4, 0).data(), sample.pixels().orElseThrow().data());
    }

    @Test
    void decodingSourceSkipsAndRecordsSamplesThatDoNotDecode() throws IOException {
        SampleCodec codec = SampleCodec.create("x");
        List<RawSample> raws = List.of(codec.encode(full()),
                new RawSample("broken", "s.tar", Map.of("png", new byte[] {1, 2}, "txt", "x".getBytes())),
                codec.encode(full().toBuilder("syn-000000008").build()));
        java.util.Iterator<RawSample> it = raws.iterator();
        RawSampleSource source = new RawSampleSource() {
            @Override
            public java.util.Optional<RawSample> next() {
                return it.hasNext() ? java.util.Optional.of(it.next()) : java.util.Optional.empty();
            }

            @Override
            public void close() {
            }
        };
        ProblemLog log = new ProblemLog();
        try (DecodingSource decoding = new DecodingSource(source, codec, log)) {
            assertEquals("syn-000000007", decoding.next().orElseThrow().id());
            assertEquals("syn-000000008", decoding.next().orElseThrow().id());
            assertTrue(decoding.next().isEmpty());
            assertEquals(1, decoding.problems().size());
            assertEquals("broken", decoding.problems().get(0).entry());
        }
    }
}
