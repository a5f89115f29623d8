package org.synthloom.shapes.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The world's random numbers: SplitMix64, written out here so that a scene depends on nothing but
 * its seed (not on the JDK's implementation of {@code SplittableRandom}'s bounded draws). Not
 * thread safe; one instance per scene.
 */
final class Rng {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /**
     * Derives a seed from a seed, a name and an index: the same arguments give the same seed on
     * any machine, different names or indices give unrelated seeds.
     */
    static long derive(long seed, String name, long index) {
        return mix(mix(mix(seed) ^ hash(name)) + index * GOLDEN);
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a of the UTF-8 bytes: a string hash fixed by this code, not by the JDK. */
    static long hash(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** @return uniform in [0, 1) */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return uniform in [0, bound) */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) ((nextLong() >>> 1) % bound);
    }

    /** @return uniform in [from, to) */
    double uniform(double from, double to) {
        return from + (to - from) * nextDouble();
    }

    /** @return {@code true} with the given probability */
    boolean chance(double probability) {
        return nextDouble() < probability;
    }

    <T> T pick(List<T> items) {
        return items.get(nextInt(items.size()));
    }

    /** @return a random permutation of 0 .. n-1 (Fisher-Yates) */
    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
