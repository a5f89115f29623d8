package org.synthloom.captioners.internal;

/** Derives independent seeds from a request's seed and positions (SplitMix64's finaliser). */
final class Seeds {

    private Seeds() {}

    /**
     * @param seed the request's seed
     * @param parts positions (concept index, caption index, round, ...)
     * @return a well-mixed seed that differs when any input differs
     */
    static long mix(long seed, long... parts) {
        long h = finalise(seed + 0x9E3779B97F4A7C15L);
        for (long part : parts) {
            h = finalise(h ^ finalise(part + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
