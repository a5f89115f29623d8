package org.synthloom.tokenizers.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte level: text is split into pre-tokens (words with their leading space, numbers,
 * punctuation runs, whitespace) and each pre-token's UTF-8 bytes are written as printable
 * characters, so that any text has a spelling in a 256-symbol alphabet and a vocabulary of
 * strings can hold byte sequences. The table and the split are those of GPT-2 and Hugging Face's
 * {@code ByteLevel} pre-tokenizer, so our {@code vocab.json} and {@code merges.txt} mean the same
 * thing to them.
 */
final class ByteLevel {

    /**
     * GPT-2's split. {@code \p{IsWhite_Space}} is Unicode white space, as {@code \s} is in the
     * regex engines GPT-2 and Hugging Face use (Java's {@code \s} alone is ASCII).
     */
    private static final Pattern SPLIT = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+"
            + "| ?[^\\p{IsWhite_Space}\\p{L}\\p{N}]+|\\p{IsWhite_Space}+(?!\\P{IsWhite_Space})|\\p{IsWhite_Space}+");

    /** Byte (0..255) to its character. */
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Character to its byte, -1 if the character is not in the alphabet. */
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        // printable bytes stand for themselves; the others take the characters from 256 up, in order
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF;
            char c = printable ? (char) b : (char) (256 + next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    /**
     * @param text any text
     * @return its pre-tokens, in order; their concatenation is the text
     */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = SPLIT.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * @param text a pre-token (or any text)
     * @return its UTF-8 bytes, one alphabet character each
     */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** @return the alphabet character of a byte */
    static char symbol(int b) {
        return BYTE_TO_CHAR[b];
    }

    /**
     * @param c a character
     * @return the byte it stands for, or -1 if it is not in the byte alphabet
     */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }
}
