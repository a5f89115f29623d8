package org.synthloom.models.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.Tokenizer;

/**
 * The {@code bytes} tokenizer: UTF-8 bytes as tokens. Ids 0, 1 and 2 are pad, start and end; byte
 * {@code b} (0..255) is id {@code 3 + b}, so the vocabulary has 259 ids and covers every text.
 */
@Component(service = Tokenizer.class)
@SynthloomPlugin(kind = Tokenizer.KIND, name = ByteTokenizer.NAME)
public class ByteTokenizer implements Tokenizer {

    static final String NAME = "bytes";

    static final int PAD = 0;
    static final int START = 1;
    static final int END = 2;
    private static final int OFFSET = 3;
    private static final int VOCABULARY = OFFSET + 256;

    @Override
    public int vocabularySize() {
        return VOCABULARY;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = OFFSET + Byte.toUnsignedInt(bytes[i]);
        }
        return ids;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Byte sequences that are not valid UTF-8 (a caption cut mid-character) decode to U+FFFD.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= VOCABULARY) {
                throw new IllegalArgumentException("token id " + id + " is outside [0, " + VOCABULARY + ")");
            }
            if (id >= OFFSET) {
                bytes.write(id - OFFSET);
            }
        }
        // new String(...) replaces malformed input rather than throwing.
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    @Override
    public int padId() {
        return PAD;
    }

    @Override
    public int startId() {
        return START;
    }

    @Override
    public int endId() {
        return END;
    }
}
