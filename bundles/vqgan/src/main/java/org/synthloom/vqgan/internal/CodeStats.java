package org.synthloom.vqgan.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** How a set of codes uses the codebook: counts, fraction used, perplexity. */
final class CodeStats {

    private CodeStats() {}

    /**
     * @param codes code ids of any shape, integer
     * @param codebookSize {@code K}
     * @return float32 {@code (K)}: how often each code occurs
     */
    static NDArray counts(NDArray codes, int codebookSize) {
        return codes.reshape(-1).toType(DataType.INT64, false).oneHot(codebookSize).sum(new int[] {0});
    }

    /** @return the fraction of codes that occur at least once, a float32 scalar */
    static NDArray usage(NDArray counts) {
        return counts.gt(0).toType(DataType.FLOAT32, false).mean();
    }

    /**
     * @return {@code exp(-sum p log p)} of the code distribution, a float32 scalar: the number of
     *     equally used codes that would carry as much information (1 to {@code K})
     */
    static NDArray perplexity(NDArray counts) {
        NDArray p = counts.div(counts.sum().maximum(1f));
        // 0 log 0 = 0: log of 1 where p is 0.
        NDArray logP = p.add(p.eq(0).toType(DataType.FLOAT32, false)).log();
        return p.mul(logP).sum().neg().exp();
    }
}
