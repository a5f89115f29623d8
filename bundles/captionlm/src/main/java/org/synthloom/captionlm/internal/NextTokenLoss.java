package org.synthloom.captionlm.internal;

import java.util.Map;
import java.util.Set;

import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The fit's objective: mean next-token cross-entropy of {@code caption_logits} against
 * {@code caption_targets} over the positions whose target is not {@code -1}, with the metric
 * {@code token_accuracy}.
 *
 * <p>It is the loss of the {@code caption} objective (bundle {@code objectives}) without its
 * options, kept inside this bundle on purpose: {@link org.synthloom.api.train.FitContext#train}
 * takes objective instances, not names, so reusing the registered one would need a DS reference,
 * making this generator depend on that bundle being active, and the fit's address (which covers this
 * component's configuration only) would not change when that objective's configuration did, so a
 * fit could be reused after its loss had changed.
 */
final class NextTokenLoss implements Objective {

    @Override
    public Set<String> requires() {
        return Set.of(Fields.CAPTION_LOGITS, Fields.CAPTION_TARGETS);
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray logits = outputs.get(Fields.CAPTION_LOGITS);
        NDArray targets = outputs.get(Fields.CAPTION_TARGETS);
        if (logits == null || targets == null) {
            throw new IllegalArgumentException("the caption language model's loss needs " + Fields.CAPTION_LOGITS
                    + " and " + Fields.CAPTION_TARGETS + " among the outputs, got "
                    + outputs.stream().map(NDArray::getName).toList());
        }
        NDArray valid = targets.gte(0);
        NDArray count = valid.toType(DataType.FLOAT32, false).sum();
        // Ignored positions gather class 0 and are then weighted 0: no gradient reaches them.
        NDArray safe = targets.mul(valid.toType(DataType.INT64, false)).expandDims(2);
        NDArray logProbs = logits.logSoftmax(2);
        NDArray nll = logProbs.gather(safe, 2).squeeze(2).neg().mul(valid.toType(DataType.FLOAT32, false));
        NDArray denominator = count.maximum(1f);
        NDArray loss = nll.sum().div(denominator);
        NDArray hits = logits.stopGradient().argMax(2).eq(targets).logicalAnd(valid);
        NDArray accuracy = hits.toType(DataType.FLOAT32, false).sum().div(denominator);
        return new LossOutput(loss, Map.of("token_accuracy", accuracy));
    }
}
