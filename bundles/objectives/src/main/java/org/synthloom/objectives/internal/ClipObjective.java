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

/**
 * The {@code clip} objective: CLIP's symmetric InfoNCE, as OpenCLIP's {@code ClipLoss} computes it
 * on one device. With {@code logits = logit_scale * I T^T}, the loss is the mean of the
 * cross-entropies of {@code logits} (image to text) and of its transpose (text to image), with
 * the matching pair of each row on the diagonal.
 *
 * <p>Reads the model outputs {@code image_embeds} {@code (B, D)}, {@code text_embeds}
 * {@code (B, D)} and {@code logit_scale} (a scalar, already exponentiated). Metrics, detached:
 * {@code i2t_accuracy} and {@code t2i_accuracy} (in-batch top-1; a tie goes to the lowest index)
 * and {@code logit_scale}. Every array it creates lives in the manager of the outputs, that is
 * the caller's step scope.
 */
@Component(service = Objective.class)
@SynthloomPlugin(kind = Objective.KIND, name = ClipObjective.NAME)
public class ClipObjective implements Objective {

    static final String NAME = "clip";

    private static final Set<String> REQUIRES = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE)));

    @Override
    public Set<String> requires() {
        return REQUIRES;
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray[] pair = Outputs.embeddingPair(NAME, outputs);
        NDArray scale = Outputs.scalar(NAME, outputs, Fields.LOGIT_SCALE);
        NDArray logits = Outputs.logits(pair[0], pair[1], scale);
        // The cross-entropy with targets arange(B) is minus the mean diagonal of the log-softmax;
        // the softmax over dim 0 is the row softmax of logits^T.
        NDArray imageToText = logits.logSoftmax(1).diagonal().mean().neg();
        NDArray textToImage = logits.logSoftmax(0).diagonal().mean().neg();
        NDArray loss = imageToText.add(textToImage).mul(Scalars.like(imageToText, 0.5f));

        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("i2t_accuracy", Outputs.diagonalAccuracy(logits, 1));
        metrics.put("t2i_accuracy", Outputs.diagonalAccuracy(logits, 0));
        metrics.put("logit_scale", scale.stopGradient());
        return new LossOutput(loss, metrics);
    }
}
