package org.synthloom.objectives.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The {@code mim} objective: masked image modelling's patch loss (SynCLR's second loss, iBOT-style
 * with a regression target as in data2vec). The model predicts, at the patches it saw masked, the
 * features an EMA teacher computed from the full image; the loss is the mean over the masked
 * patches of the cosine distance {@code 1 - cos(prediction, target)}.
 *
 * <p>Why cosine and not smooth-L1: it is bounded (0 to 2) whatever the feature scale, so its
 * weight against a contrastive loss does not depend on the width or on how the targets are
 * normalised, and it needs no threshold to choose. The cosines divide by
 * {@code max(|p|, 1e-8) max(|t|, 1e-8)}, so a zero vector costs 1, not NaN.
 *
 * <p>Reads the model outputs {@code mim_predictions} {@code (B, N, D)}, {@code mim_targets}
 * {@code (B, N, D)} and {@code mim_mask} {@code (B, N)} (any numeric type, non-zero = masked; no
 * gradient flows into it). The targets are used as given: the model detaches them (the teacher is
 * not trained by this loss). A batch with no masked patch costs 0. Metrics, detached:
 * {@code mim_loss} and {@code mim_mask_fraction} (masked patches / all patches).
 */
@Component(service = Objective.class)
@SynthloomPlugin(kind = Objective.KIND, name = MimObjective.NAME)
public class MimObjective implements Objective {

    static final String NAME = "mim";
    private static final float NORM_EPSILON = 1e-8f;

    private static final Set<String> REQUIRES = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(Fields.MIM_PREDICTIONS, Fields.MIM_TARGETS, Fields.MIM_MASK)));

    @Override
    public Set<String> requires() {
        return REQUIRES;
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray predictions = Outputs.require(NAME, outputs, Fields.MIM_PREDICTIONS);
        NDArray targets = Outputs.require(NAME, outputs, Fields.MIM_TARGETS);
        NDArray mask = Outputs.require(NAME, outputs, Fields.MIM_MASK);
        Shape shape = predictions.getShape();
        if (shape.dimension() != 3 || !shape.equals(targets.getShape()) || !mask.getShape().equals(shape.slice(0, 2))) {
            throw new IllegalArgumentException(NAME + " needs " + Fields.MIM_PREDICTIONS + " and " + Fields.MIM_TARGETS
                    + " (B, N, D) and " + Fields.MIM_MASK + " (B, N), got " + shape + ", " + targets.getShape() + " and "
                    + mask.getShape());
        }
        NDArray p = predictions.toType(DataType.FLOAT32, false);
        NDArray t = targets.toType(DataType.FLOAT32, false);
        NDArray weights = mask.stopGradient().neq(0).toType(DataType.FLOAT32, false);
        NDArray epsilon = Scalars.like(p, NORM_EPSILON);
        NDArray norms = p.norm(new int[] {-1}).maximum(epsilon).mul(t.norm(new int[] {-1}).maximum(epsilon));
        NDArray cosine = p.mul(t).sum(new int[] {-1}).div(norms);
        NDArray distance = Scalars.like(cosine, 1f).sub(cosine);
        NDArray count = weights.sum();
        // max(count, 1): an all-unmasked batch has a zero sum over zero patches, and costs 0.
        NDArray loss = distance.mul(weights).sum().div(count.maximum(Scalars.like(count, 1f)));

        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("mim_loss", loss.stopGradient());
        metrics.put("mim_mask_fraction", count.div(Math.max(1, weights.size())));
        return new LossOutput(loss, metrics);
    }
}
