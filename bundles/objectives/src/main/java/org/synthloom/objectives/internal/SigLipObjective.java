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

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/**
 * The {@code siglip} objective: SigLIP's pairwise sigmoid loss, as OpenCLIP's {@code SigLipLoss}
 * computes it on one device. With {@code logits = logit_scale * I T^T + logit_bias} and labels
 * {@code +1} on the diagonal and {@code -1} elsewhere, every image-text pair is an independent
 * binary classification: {@code loss = -sum(log sigmoid(labels * logits)) / B}.
 *
 * <p>Reads the model outputs {@code image_embeds} {@code (B, D)}, {@code text_embeds}
 * {@code (B, D)}, {@code logit_scale} (a scalar, already exponentiated) and {@code logit_bias}
 * (a scalar). Metrics, detached: {@code i2t_accuracy}, {@code t2i_accuracy} (in-batch top-1),
 * {@code logit_scale}, {@code logit_bias}. Every array it creates lives in the manager of the
 * outputs, that is the caller's step scope.
 */
@Component(service = Objective.class)
@SynthloomPlugin(kind = Objective.KIND, name = SigLipObjective.NAME)
public class SigLipObjective implements Objective {

    static final String NAME = "siglip";

    private static final Set<String> REQUIRES = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE, Fields.LOGIT_BIAS)));

    @Override
    public Set<String> requires() {
        return REQUIRES;
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray[] pair = Outputs.embeddingPair(NAME, outputs);
        NDArray scale = Outputs.scalar(NAME, outputs, Fields.LOGIT_SCALE);
        NDArray bias = Outputs.scalar(NAME, outputs, Fields.LOGIT_BIAS);
        NDArray logits = Outputs.logits(pair[0], pair[1], scale).add(bias);
        int b = (int) logits.getShape().get(0);
        // labels = 2 eye - 1; -log sigmoid(z) = softplus(-z), which libtorch computes stably.
        NDArray labels = logits.getManager().eye(b, b, 0, logits.getDataType(), logits.getDevice()).mul(2f).sub(1f);
        NDArray loss = Activation.softPlus(labels.mul(logits).neg()).sum().div((float) b);

        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("i2t_accuracy", Outputs.diagonalAccuracy(logits, 1));
        metrics.put("t2i_accuracy", Outputs.diagonalAccuracy(logits, 0));
        metrics.put("logit_scale", scale.stopGradient());
        metrics.put("logit_bias", bias.stopGradient());
        return new LossOutput(loss, metrics);
    }
}
