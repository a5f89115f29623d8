package org.synthloom.maskgit.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The generator's training loss, internal to the bundle (not a service): cross-entropy of the code
 * logits at the masked image positions only (targets {@code -1} elsewhere), averaged over them.
 * Metrics, detached: {@code masked_accuracy} (argmax equals the true code, over masked positions)
 * and {@code mask_ratio} (masked fraction of the batch's image tokens).
 */
final class MaskedTokenLoss implements Objective {

    @Override
    public Set<String> requires() {
        return Set.of(MaskGitBlock.LOGITS, MaskGitBlock.TARGETS);
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray logits = outputs.get(MaskGitBlock.LOGITS);
        NDArray targets = outputs.get(MaskGitBlock.TARGETS);
        if (logits == null || targets == null) {
            throw new IllegalArgumentException("the masked-token loss needs the model outputs '" + MaskGitBlock.LOGITS
                    + "' and '" + MaskGitBlock.TARGETS + "'");
        }
        if (logits.getShape().dimension() != 3 || !logits.getShape().slice(0, 2).equals(targets.getShape())) {
            throw new IllegalArgumentException("logits " + logits.getShape() + " do not match targets " + targets.getShape());
        }
        NDArray valid = targets.gte(0L).toType(DataType.FLOAT32, false);
        NDArray safe = targets.maximum(0L).toType(DataType.INT64, false);
        NDArray picked = logits.logSoftmax(2).gather(safe.expandDims(2), 2).squeeze(2);
        NDArray count = valid.sum().maximum(1f);
        NDArray loss = picked.mul(valid).sum().neg().div(count);
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        NDArray right = logits.stopGradient().argMax(2).eq(safe).toType(DataType.FLOAT32, false);
        metrics.put("masked_accuracy", right.mul(valid).sum().div(count));
        metrics.put("mask_ratio", valid.mean());
        return new LossOutput(loss, metrics);
    }
}
