package org.synthloom.pipeline.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content addresses and derived seeds. */
final class Hashes {

    private Hashes() {}

    /** @return the hex SHA-256 of the text's UTF-8 bytes */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JRE has no SHA-256", e);
        }
    }

    /** @return a 16-hex-digit address of the text, for directory names */
    static String address(String text) {
        return sha256(text).substring(0, 16);
    }

    /**
     * Derives a seed from a seed and a path of indices (SplitMix64 finalizer), so that each unit of
     * work has its own reproducible seed whatever the order and batching of the work.
     */
    static long seed(long seed, long... path) {
        long h = mix(seed ^ 0x5DEECE66DL);
        for (long p : path) {
            h = mix(h + 0x9E3779B97F4A7C15L * (p + 1));
        }
        return h;
    }

    /** @return a derived seed that also depends on a label, e.g. a stage name */
    static long seed(long seed, String label, long... path) {
        return seed(seed ^ sha256(label).hashCode() * 0x100000001B3L, path);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
