package org.synthloom.api.model;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns text into token ids and back. Registered with {@code synthloom.kind=tokenizer}.
 */
@ConsumerType
public interface Tokenizer {

    /** The {@code synthloom.kind} of tokenizers. */
    String KIND = "tokenizer";

    /** @return the number of distinct ids, special tokens included */
    int vocabularySize();

    /**
     * Encodes text without special tokens.
     *
     * @param text the text
     * @return its token ids, each in {@code [0, vocabularySize())}
     */
    int[] encode(String text);

    /**
     * Decodes ids, dropping special tokens.
     *
     * @param ids token ids
     * @return the text
     */
    String decode(int[] ids);

    /** @return the id used for padding */
    int padId();

    /** @return the id that starts a sequence */
    int startId();

    /** @return the id that ends a sequence */
    int endId();
}
