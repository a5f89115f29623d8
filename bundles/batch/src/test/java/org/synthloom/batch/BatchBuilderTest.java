package org.synthloom.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.imageio.ResizeMode;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

class BatchBuilderTest {

    /** Shared with {@link CaptionViewsTest}. */

    /** Bytes as ids 3 + b; 0 pad, 1 start, 2 end. */
    static final Tokenizer BYTES = new Tokenizer() {
        @Override
        public int vocabularySize() {
            return 259;
        }

        @Override
        public int[] encode(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                ids[i] = 3 + (b[i] & 0xff);
            }
            return ids;
        }

        @Override
        public String decode(int[] ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int padId() {
            return 0;
        }

        @Override
        public int startId() {
            return 1;
        }

        @Override
        public int endId() {
            return 2;
        }
    };

    static Sample sample(String id, int grey, String label, String... captions) {
        byte[] pixels = new byte[4 * 4];
        java.util.Arrays.fill(pixels, (byte) grey);
        Sample.Builder b = Sample.builder(id).pixels(new ImagePixels(4, 4, 1, pixels)).imageProvenance(Provenance.human("t"))
                .tokens(new TokenGrid(2, 2, new int[] {grey % 8, 1, 2, 3}, "cb", 8));
        for (String c : captions) {
            b.caption(new Caption(c, Provenance.human("t")));
        }
        if (label != null) {
            b.label(label);
        }
        return b.build();
    }

    @Test
    void fieldsFollowTheContract() {
        BatchBuilder builder = new BatchBuilder(BYTES, List.of("cat", "dog"), 4, ResizeMode.CENTER_CROP, 6, true, true, 1);
        HostBatch batch = builder.build(List.of(sample("a", 255, "dog", "hi"), sample("b", 0, "bird", "hi"),
                sample("c", 0, null, "a long caption")), -1);
        assertEquals(3, batch.size());
        assertEquals(List.of("a", "b", "c"), batch.ids());
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            NDList fields = batch.toNDList(manager, Device.cpu());
            float[] images = fields.get(Fields.IMAGES).toFloatArray();
            float[] mean = Fields.imageMean();
            float[] std = Fields.imageStd();
            for (int c = 0; c < 3; c++) {
                assertEquals((1f - mean[c]) / std[c], images[c * 16], 1e-6, "white, channel " + c);
                assertEquals((0f - mean[c]) / std[c], images[48 + c * 16], 1e-6, "black, channel " + c);
            }
            assertArrayEquals(new int[] {1, 3 + 'h', 3 + 'i', 2, 0, 0}, java.util.Arrays.copyOf(
                    fields.get(Fields.TEXT_TOKENS).toIntArray(), 6));
            assertArrayEquals(new int[] {1, 1, 1, 1, 0, 0}, java.util.Arrays.copyOf(fields.get(Fields.TEXT_MASK).toIntArray(), 6));
            int[] third = java.util.Arrays.copyOfRange(fields.get(Fields.TEXT_TOKENS).toIntArray(), 12, 18);
            assertEquals(1, third[0]);
            assertEquals(2, third[5], "a long caption is cut to leave room for the end token");
            assertArrayEquals(new int[] {1, -1, -1}, fields.get(Fields.LABELS).toIntArray());
            int[] groups = fields.get(Fields.CAPTION_GROUPS).toIntArray();
            assertEquals(groups[0], groups[1], "same caption, same group");
            assertNotEquals(groups[0], groups[2]);
            assertArrayEquals(new int[] {255 % 8, 1, 2, 3}, java.util.Arrays.copyOf(fields.get(Fields.IMAGE_TOKENS).toIntArray(), 4));
        }
    }

    private static int[] textTokens(HostBatch batch) {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            return batch.toNDList(manager, Device.cpu()).get(Fields.TEXT_TOKENS).toIntArray();
        }
    }

    @Test
    void aSampleWithSeveralCaptionsGetsOneReproduciblyPerBatch() {
        BatchBuilder builder = new BatchBuilder(BYTES, List.of(), 4, ResizeMode.CENTER_CROP, 8, false, false, 7);
        Sample s = sample("s", 9, null, "one", "two", "six");
        Set<Integer> seen = new HashSet<>();
        for (long batch = 0; batch < 30; batch++) {
            int[] tokens = textTokens(builder.build(List.of(s), batch));
            assertArrayEquals(tokens, textTokens(builder.build(List.of(s), batch)), "reproducible");
            seen.add(tokens[1]);
        }
        assertEquals(Set.of(3 + (int) 'o', 3 + (int) 't', 3 + (int) 's'), seen, "every caption is used");
        assertEquals(3 + (int) 'o', textTokens(builder.build(List.of(s), -1))[1], "evaluation takes the first");
    }

    @Test
    void missingPartsAreNamedErrors() {
        BatchBuilder tokens = new BatchBuilder(BYTES, List.of(), 4, ResizeMode.CENTER_CROP, 8, false, true, 7);
        Sample noTokens = Sample.builder("bare").imageProvenance(Provenance.human("t")).caption(new Caption("x",
                Provenance.human("t"))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokens.build(List.of(noTokens), 0));
        assertTrue(e.getMessage().contains("bare"), e.getMessage());
        BatchBuilder text = new BatchBuilder(BYTES, List.of(), 4, ResizeMode.CENTER_CROP, 8, true, false, 7);
        Sample noCaption = Sample.builder("mute").pixels(new ImagePixels(4, 4, 1, new byte[16]))
                .imageProvenance(Provenance.human("t")).build();
        e = assertThrows(IllegalArgumentException.class, () -> text.build(List.of(noCaption), 0));
        assertTrue(e.getMessage().contains("mute") && e.getMessage().contains("caption"), e.getMessage());
    }
}
