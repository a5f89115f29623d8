package org.synthloom.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Sample;
import org.synthloom.api.model.Fields;
import org.synthloom.batch.CaptionViews.Mode;
import org.synthloom.imageio.ResizeMode;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** CLIPS's caption views as {@link BatchBuilder} cuts them (byte tokens: one token per byte). */
class CaptionViewsTest {

    private static final String STORY = "A red cube sits on a table. A small dog runs past it! Is the sky blue? "
            + "The end of this rather long caption comes here.";
    private static final int CONTEXT = 128;

    private static BatchBuilder builder(CaptionViews views) {
        return new BatchBuilder(BatchBuilderTest.BYTES, List.of("cat"), 4, ResizeMode.CENTER_CROP, CONTEXT, true, false, 11)
                .withViews(views);
    }

    /** The batch's fields as Java arrays. */
    private record Fields4(int width, int[] tokens, int[] mask, int[] groups, float[] images, int[] labels) {
        /** Row {@code r}'s text, start and end removed. */
        String text(int r) {
            int length = 0;
            for (int j = 0; j < width; j++) {
                length += mask[r * width + j];
            }
            byte[] bytes = new byte[length - 2];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (tokens[r * width + 1 + j] - 3);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Fields4 fields(HostBatch batch) {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            NDList f = batch.toNDList(manager, Device.cpu());
            return new Fields4((int) f.get(Fields.TEXT_TOKENS).getShape().get(1), f.get(Fields.TEXT_TOKENS).toIntArray(),
                    f.get(Fields.TEXT_MASK).toIntArray(), f.get(Fields.CAPTION_GROUPS).toIntArray(),
                    f.get(Fields.IMAGES).toFloatArray(), f.get(Fields.LABELS).toIntArray());
        }
    }

    private static List<Sample> samples() {
        return List.of(BatchBuilderTest.sample("a", 10, "cat", STORY), BatchBuilderTest.sample("b", 200, null,
                "Tiny."), BatchBuilderTest.sample("c", 90, null, "one sentence that is much longer than sixteen bytes"));
    }

    @Test
    void partialViewsNeverExceedTheBudgetAndTheTextShrinksToIt() {
        for (Mode mode : List.of(Mode.SUB, Mode.RANDOM_MASK, Mode.BLOCK_MASK)) {
            for (int budget : List.of(16, 32)) {
                BatchBuilder builder = builder(CaptionViews.of(mode, budget, 2, false));
                for (long step = 0; step < 20; step++) {
                    Fields4 f = fields(builder.build(samples(), step));
                    assertEquals(budget + 2, f.width(), mode + ": text_tokens width is the budget plus start and end");
                    assertEquals(6, f.groups().length, "2 views of 3 samples");
                    for (int r = 0; r < 6; r++) {
                        String view = f.text(r);
                        assertTrue(view.getBytes(StandardCharsets.UTF_8).length <= budget, mode + " " + budget + ": " + view);
                        assertFalse(view.isEmpty(), mode + ": a view keeps some of its caption");
                    }
                }
            }
        }
    }

    @Test
    void fullViewsAndEvaluationKeepTheContext() {
        assertEquals(CONTEXT, fields(builder(CaptionViews.full()).build(samples(), 3)).width());
        Fields4 withFull = fields(builder(CaptionViews.of(Mode.SUB, 16, 1, true)).build(samples(), 3));
        assertEquals(CONTEXT, withFull.width(), "a full view needs the whole context");
        assertEquals(STORY, withFull.text(0), "with include.full, view 0 is the full caption");
        Fields4 evaluation = fields(builder(CaptionViews.of(Mode.SUB, 16, 3, true)).build(samples(), -1));
        assertEquals(CONTEXT, evaluation.width());
        assertEquals(3, evaluation.groups().length, "evaluation: one row per sample");
        assertEquals(STORY, evaluation.text(0));
    }

    @Test
    void subCaptionsAreRunsOfWholeSentences() {
        List<String> sentences = CaptionViews.sentences(STORY);
        assertEquals(List.of("A red cube sits on a table.", "A small dog runs past it!", "Is the sky blue?",
                "The end of this rather long caption comes here."), sentences);
        Set<String> runs = new HashSet<>();
        for (int i = 0; i < sentences.size(); i++) {
            for (int j = i + 1; j <= sentences.size(); j++) {
                runs.add(String.join(" ", sentences.subList(i, j)));
            }
        }
        Set<String> seen = new HashSet<>();
        BatchBuilder builder = builder(CaptionViews.of(Mode.SUB, 60, 1, false));
        for (long step = 0; step < 40; step++) {
            Fields4 f = fields(builder.build(samples(), step));
            String view = f.text(0);
            assertTrue(runs.contains(view), "not a run of whole sentences: '" + view + "'");
            seen.add(view);
            assertEquals("Tiny.", f.text(1));
            assertEquals("one sentence that is much longer than sixteen bytes", f.text(2));
        }
        // Runs are extended while they fit: each start has one maximal run under 60 bytes.
        assertEquals(Set.of("A red cube sits on a table. A small dog runs past it!", "A small dog runs past it! Is the sky blue?",
                "Is the sky blue?", "The end of this rather long caption comes here."), seen);

        Fields4 tight = fields(builder(CaptionViews.of(Mode.SUB, 16, 1, false)).build(samples(), 0));
        assertEquals("Is the sky blue?", tight.text(0), "the only sentence within 16 bytes");
        assertEquals("one sentence tha", tight.text(2), "no sentence fits: the first one, truncated to the budget");
        Set<String> spaced = new HashSet<>();
        for (long step = 0; step < 20; step++) {
            spaced.add(fields(builder(CaptionViews.of(Mode.SUB, 40, 1, false)).build(List.of(BatchBuilderTest.sample("d", 1,
                    null, "  Red cube.\n\nBlue ball!  ")), step)).text(0));
        }
        assertEquals(Set.of("Red cube.\n\nBlue ball!", "Blue ball!"), spaced,
                "runs from either start; a run keeps the caption's own text between its sentences");
    }

    @Test
    void masksKeepTokensInOrderAndBlocksAreContiguous() {
        byte[] story = STORY.getBytes(StandardCharsets.UTF_8);
        Set<String> distinct = new HashSet<>();
        BatchBuilder random = builder(CaptionViews.of(Mode.RANDOM_MASK, 24, 1, false));
        BatchBuilder block = builder(CaptionViews.of(Mode.BLOCK_MASK, 24, 1, false));
        for (long step = 0; step < 20; step++) {
            String kept = fields(random.build(samples(), step)).text(0);
            assertEquals(24, kept.length());
            assertTrue(isSubsequence(kept.getBytes(StandardCharsets.UTF_8), story), kept);
            assertFalse(STORY.contains(kept), "24 random positions out of " + story.length + " are hardly contiguous: " + kept);
            String run = fields(block.build(samples(), step)).text(0);
            assertEquals(24, run.length());
            assertTrue(STORY.contains(run), run);
            distinct.add(run);
        }
        assertTrue(distinct.size() > 5, "blocks start at random places: " + distinct);
        assertEquals("Tiny.", fields(random.build(samples(), 0)).text(1), "a caption within the budget is kept whole");
    }

    private static boolean isSubsequence(byte[] part, byte[] whole) {
        int j = 0;
        for (int i = 0; i < whole.length && j < part.length; i++) {
            if (whole[i] == part[j]) {
                j++;
            }
        }
        return j == part.length;
    }

    @Test
    void viewsAreReproducibleForASeedAndChangeWithTheStep() {
        CaptionViews views = CaptionViews.of(Mode.RANDOM_MASK, 20, 3, false);
        List<String> first = new ArrayList<>();
        for (long step = 0; step < 5; step++) {
            Fields4 a = fields(builder(views).build(samples(), step));
            Fields4 b = fields(builder(views).build(samples(), step));
            assertArrayEquals(a.tokens(), b.tokens(), "same seed, same step, same views");
            first.add(a.text(0));
        }
        assertTrue(new HashSet<>(first).size() > 1, "views differ from step to step: " + first);
        Fields4 one = fields(builder(views).build(samples(), 0));
        assertNotEquals(one.text(0), one.text(1), "the views of one image differ");
        BatchBuilder otherSeed = new BatchBuilder(BatchBuilderTest.BYTES, List.of("cat"), 4, ResizeMode.CENTER_CROP, CONTEXT,
                true, false, 12).withViews(views);
        assertFalse(Arrays.equals(one.tokens(), fields(otherSeed.build(samples(), 0)).tokens()), "another seed, other views");
    }

    @Test
    void theViewsOfAnImageShareItsRowsGroupAndLabel() {
        Fields4 f = fields(builder(CaptionViews.of(Mode.BLOCK_MASK, 8, 2, true)).build(samples(), 5));
        assertEquals(9, f.groups().length, "(1 full + 2 partial) x 3 samples");
        int floats = 3 * 4 * 4;
        for (int s = 0; s < 3; s++) {
            for (int v = 0; v < 3; v++) {
                int row = s * 3 + v;
                assertEquals(f.groups()[s * 3], f.groups()[row], "one group per image");
                assertEquals(f.labels()[s * 3], f.labels()[row]);
                assertArrayEquals(Arrays.copyOfRange(f.images(), s * 3 * floats, (s * 3 + 1) * floats),
                        Arrays.copyOfRange(f.images(), row * floats, (row + 1) * floats), "the image is repeated");
            }
            assertEquals(samples().get(s).captions().get(0).text().hashCode(), f.groups()[s * 3], "the full caption's group");
        }
        assertNotEquals(f.groups()[0], f.groups()[3]);
        assertEquals(0, f.labels()[0]);
        assertEquals(List.of("a", "a", "a", "b", "b", "b", "c", "c", "c"), builder(CaptionViews.of(Mode.BLOCK_MASK, 8, 2, true))
                .build(samples(), 5).ids());
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals(Mode.RANDOM_MASK, Mode.parse(" Random_Mask "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parse("half"));
        assertTrue(e.getMessage().contains("'half'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CaptionViews.of(Mode.SUB, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> CaptionViews.of(Mode.SUB, 8, 0, false));
        assertEquals(1, CaptionViews.of(Mode.FULL, 8, 1, true).rowsPerImage(), "full views need no extra full row");
    }
}
