package org.synthloom.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.synthloom.api.model.Tokenizer;

/**
 * A tokenizer for tests: UTF-8 bytes, with {@code 0} pad, {@code 1} start, {@code 2} end and byte
 * {@code b} as {@code 3 + b} (the runtime's {@code bytes} tokenizer uses the same ids).
 */
public final class Utf8Tokenizer implements Tokenizer {

    @Override
    public int vocabularySize() {
        return 259;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = 3 + (bytes[i] & 0xff);
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id >= 3) {
                bytes.write(id - 3);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
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
}
