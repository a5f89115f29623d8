package org.synthloom.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleTest {

    private static final Provenance HUMAN = Provenance.human("shapes-world");

    private static Sample.Builder redCircle() {
        return Sample.builder("scene-000001")
                .pixels(new ImagePixels(2, 1, 3, new byte[] {1, 2, 3, 4, 5, 6}))
                .imageProvenance(HUMAN)
                .caption(new Caption("a red circle", HUMAN))
                .label("red circle");
    }

    @Test
    void equalSamplesCompareByValueIncludingPixels() {
        assertEquals(redCircle().build(), redCircle().build());
        assertEquals(redCircle().build().hashCode(), redCircle().build().hashCode());
        Sample other = redCircle().pixels(new ImagePixels(2, 1, 3, new byte[] {1, 2, 3, 4, 5, 7})).build();
        assertNotEquals(redCircle().build(), other);
    }

    @Test
    void toBuilderKeepsEverythingAndAddsCaptions() {
        Sample original = redCircle().build();
        Caption recaption = new Caption("a small red disc", Provenance.synthetic("recaptioner", "1.0.0", 7));
        Sample recaptioned = original.toBuilder().caption(recaption).build();
        assertEquals(2, recaptioned.captions().size());
        assertEquals(recaption, recaptioned.captions().get(1));
        assertEquals(original.pixels(), recaptioned.pixels());
        assertEquals(1, original.captions().size(), "the original is unchanged");
    }

    @Test
    void reportsWhichImageSpacesArePresent() {
        Sample s = redCircle().tokens(new TokenGrid(1, 2, new int[] {0, 15}, "vq@1", 16)).build();
        assertTrue(s.hasImage(ImageSpace.PIXELS));
        assertTrue(s.hasImage(ImageSpace.TOKENS));
        assertFalse(s.hasImage(ImageSpace.EMBEDDINGS));
    }

    @Test
    void rejectsIdsThatCannotNameFilesInAShard() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sample.builder("../etc/passwd"));
        assertTrue(e.getMessage().contains("'/'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sample.builder(".hidden"));
        assertThrows(IllegalArgumentException.class, () -> Sample.builder(""));
    }

    @Test
    void rejectsEmptySamplesAndMissingProvenance() {
        assertThrows(IllegalStateException.class, () -> Sample.builder("x").imageProvenance(HUMAN).build());
        assertThrows(IllegalStateException.class,
                () -> Sample.builder("x").caption(new Caption("a cat", HUMAN)).build());
    }

    @Test
    void valueTypesValidateTheirShapes() {
        assertThrows(IllegalArgumentException.class, () -> new ImagePixels(2, 2, 3, new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> new ImagePixels(2, 2, 4, new byte[16]));
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> new TokenGrid(1, 2, new int[] {3, 16}, "vq", 16));
        assertTrue(outside.getMessage().contains("index 1"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Embedding(new float[6], new int[] {2, 2}, "vit"));
        assertThrows(IllegalArgumentException.class, () -> new Caption("   ", HUMAN));
    }

    @Test
    void provenanceSaysWhereDataCameFrom() {
        Provenance synthetic = Provenance.synthetic("class-prompt", "1.2.0", 42);
        assertTrue(synthetic.isSynthetic());
        assertEquals(42, synthetic.seed().getAsLong());
        assertFalse(HUMAN.isSynthetic());
        assertTrue(HUMAN.seed().isEmpty());
        assertEquals("synthetic:class-prompt@1.2.0#42", synthetic.toString());
    }
}
