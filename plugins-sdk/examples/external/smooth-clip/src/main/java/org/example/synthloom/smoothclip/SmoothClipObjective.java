package org.example.synthloom.smoothclip;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The {@code smooth-clip} objective, a third-party plugin: CLIP's symmetric InfoNCE with label
 * smoothing. With {@code logits = logit_scale * I T^T} over a batch of {@code B} pairs, each
 * direction's target puts {@code 1 - smoothing} on the matching pair and spreads
 * {@code smoothing} evenly over all {@code B} texts (images), so
 * {@code loss_dir = -mean_i [(1 - s) log p_ii + (s / B) sum_j log p_ij]}, and the loss is the mean
 * of the two directions. With {@code smoothing = 0} it is the {@code clip} objective.
 *
 * <p>Reads {@code image_embeds}, {@code text_embeds} {@code (B, D)} and {@code logit_scale} (a
 * scalar, already exponentiated). Metrics, detached: {@code i2t_accuracy}, {@code t2i_accuracy}.
 */
@Component(service = Objective.class, configurationPid = SmoothClipObjective.PID)
@SynthloomPlugin(kind = Objective.KIND, name = SmoothClipObjective.NAME)
@Designate(ocd = SmoothClipConfig.class)
public class SmoothClipObjective implements Objective {

    /** The plugin's {@code synthloom.name}. */
    public static final String NAME = "smooth-clip";
    /** The configuration PID. */
    public static final String PID = "org.example.synthloom.smoothclip";

    private static final Set<String> REQUIRES = java.util.Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE)));

    private final float smoothing;

    /**
     * @param config the configuration
     * @throws IllegalArgumentException if the smoothing is outside [0, 1)
     */
    @Activate
    public SmoothClipObjective(SmoothClipConfig config) {
        if (!(config.smoothing() >= 0 && config.smoothing() < 1)) {
            throw new IllegalArgumentException(PID + ": smoothing must be in [0, 1), got " + config.smoothing());
        }
        this.smoothing = (float) config.smoothing();
    }

    @Override
    public Set<String> requires() {
        return REQUIRES;
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray images = require(outputs, Fields.IMAGE_EMBEDS);
        NDArray texts = require(outputs, Fields.TEXT_EMBEDS);
        NDArray scale = require(outputs, Fields.LOGIT_SCALE);
        if (images.getShape().dimension() != 2 || !images.getShape().equals(texts.getShape())) {
            throw new IllegalArgumentException(NAME + " needs image_embeds and text_embeds of one shape (B, D), got "
                    + images.getShape() + " and " + texts.getShape());
        }
        if (scale.size() != 1) {
            throw new IllegalArgumentException(NAME + " needs a scalar logit_scale, got " + scale.getShape());
        }
        NDArray logits = images.matMul(texts.transpose()).mul(scale.reshape());
        NDArray loss = direction(logits.logSoftmax(1)).add(direction(logits.logSoftmax(0))).div(Scalars.like(logits, 2f));
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("i2t_accuracy", accuracy(logits, 1));
        metrics.put("t2i_accuracy", accuracy(logits, 0));
        return new LossOutput(loss, metrics);
    }

    /** {@code -mean_i [(1 - s) logp_ii + (s / B) sum_j logp_ij]}; for dim 0 the sum over j is a column's, the same total. */
    private NDArray direction(NDArray logProbabilities) {
        NDArray matched = logProbabilities.diagonal().mean();
        long b = logProbabilities.getShape().get(0);
        NDArray spread = logProbabilities.sum().div(Scalars.like(logProbabilities, (float) b * b));
        return matched.mul(Scalars.like(matched, 1f - smoothing)).add(spread.mul(Scalars.like(spread, smoothing))).neg();
    }

    private static NDArray accuracy(NDArray logits, int axis) {
        NDArray detached = logits.stopGradient();
        NDArray targets = detached.getManager().arange(0, (int) detached.getShape().get(0), 1, DataType.INT64);
        return detached.argMax(axis).toType(DataType.INT64, false).eq(targets).toType(DataType.FLOAT32, false).mean();
    }

    private static NDArray require(NDList outputs, String name) {
        NDArray array = outputs.get(name);
        if (array == null) {
            throw new IllegalArgumentException(NAME + " needs the model output '" + name + "', which is missing");
        }
        return array;
    }
}
