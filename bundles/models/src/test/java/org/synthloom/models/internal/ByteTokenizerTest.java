package org.synthloom.models.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void idsAreBytesShiftedPastTheSpecialTokens() {
        assertEquals(259, tokenizer.vocabularySize());
        assertEquals(0, tokenizer.padId());
        assertEquals(1, tokenizer.startId());
        assertEquals(2, tokenizer.endId());
        assertArrayEquals(new int[] {3 + 'a', 3 + ' ', 3 + 'Z'}, tokenizer.encode("a Z"));
        // U+00E9 is C3 A9 in UTF-8.
        assertArrayEquals(new int[] {3 + 0xC3, 3 + 0xA9}, tokenizer.encode("\u00e9"));
        assertArrayEquals(new int[0], tokenizer.encode(""));
    }

    @Test
    void asciiAndNonAsciiTextRoundTripExactly() {
        for (String text : new String[] {"a red circle on a blue square", "caf\u00e9 cr\u00e8me, na\u00efve",
                "\u65e5\u672c\u8a9e\u306e\u30ad\u30e3\u30d7\u30b7\u30e7\u30f3", "emoji \ud83c\udfa8\ud83d\udd35 end",
                "tabs\tand\nnewlines\u0000nul"}) {
            int[] ids = tokenizer.encode(text);
            for (int id : ids) {
                assertEquals(true, id >= 3 && id < 259, "id " + id);
            }
            assertEquals(text, tokenizer.decode(ids));
        }
    }

    @Test
    void decodingDropsSpecialIdsAndReplacesMalformedBytes() {
        int[] ids = tokenizer.encode("hi");
        assertEquals("hi", tokenizer.decode(new int[] {1, ids[0], 0, ids[1], 2, 0, 0}));
        // A lone continuation byte and a truncated two-byte sequence.
        assertEquals("a\ufffdb\ufffd", tokenizer.decode(new int[] {3 + 'a', 3 + 0x80, 3 + 'b', 3 + 0xC3}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {259}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}));
    }
}
