package org.synthloom.objectives.internal;

import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Cross-entropy over the last axis of {@code logits} against integer targets of the other axes,
 * averaged over the targets that are not {@code -1} (ignored: no loss, no gradient), with optional
 * label smoothing {@code e}: {@code (1 - e) * nll + e * mean_v(-log p_v)}, as PyTorch's
 * {@code cross_entropy(label_smoothing=e)}. Shared by the {@code caption} (tokens) and
 * {@code supervised} (classes) objectives.
 *
 * @param loss the scalar loss, attached to the graph; 0 when nothing is counted
 * @param accuracy detached: the share of counted targets that are the argmax (0 when none)
 * @param meanNll detached: the mean unsmoothed cross-entropy of the counted targets (0 when none)
 * @param count the number of counted targets, float32
 */
record MaskedCrossEntropy(NDArray loss, NDArray accuracy, NDArray meanNll, NDArray count) {

    /**
     * Checks an objective's {@code label.smoothing}.
     *
     * @param pid the objective's configuration PID, for the message
     * @param value the configured value
     * @return it as a float
     * @throws IllegalArgumentException if it is not in {@code [0, 1)}
     */
    static float smoothing(String pid, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(pid + ": label.smoothing must be in [0, 1), got " + value);
        }
        return (float) value;
    }

    /**
     * @param logits {@code (..., V)}, cast to float32 when needed
     * @param targets integer, the shape of {@code logits} without its last axis; {@code -1} ignored
     * @param smoothing label smoothing in {@code [0, 1)}
     */
    static MaskedCrossEntropy of(NDArray logits, NDArray targets, float smoothing) {
        if (logits.getDataType() != DataType.FLOAT32) {
            logits = logits.toType(DataType.FLOAT32, false);
        }
        targets = targets.toType(DataType.INT64, false);
        int last = logits.getShape().dimension() - 1;
        NDArray logProbs = logits.logSoftmax(last);
        NDArray valid = targets.gte(0).toType(DataType.FLOAT32, false);
        // Ignored targets read class 0 and are then multiplied by 0: no gradient reaches them.
        NDArray safeTargets = targets.mul(targets.gte(0).toType(DataType.INT64, false));
        NDArray nll = logProbs.gather(safeTargets.expandDims(last), last).squeeze(last).neg();
        NDArray count = valid.sum();
        NDArray denominator = count.maximum(1f);
        NDArray perTarget = smoothing == 0f ? nll
                : nll.mul(Scalars.like(nll, 1f - smoothing))
                        .add(logProbs.mean(new int[] {last}).neg().mul(Scalars.like(nll, smoothing)));
        NDArray loss = perTarget.mul(valid).sum().div(denominator);
        NDArray hits = logits.stopGradient().argMax(last).toType(DataType.INT64, false).eq(targets)
                .toType(DataType.FLOAT32, false);
        return new MaskedCrossEntropy(loss, hits.mul(valid).sum().div(denominator),
                nll.stopGradient().mul(valid).sum().div(denominator), count);
    }
}
