package org.synthloom.objectives.internal;

import java.util.Collections;
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

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The {@code caption} objective: the generative captioning loss (CapPa, CoCa's captioner, the
 * Perceiver Resampler captioner), next-token cross-entropy of {@code caption_logits}
 * {@code (B, T, V)} against {@code caption_targets} {@code (B, T)}, averaged over the positions
 * whose target is not {@code -1} (nothing to predict after the end token).
 *
 * <p>With label smoothing {@code e}, a position's loss is {@code (1 - e) * nll + e * mean_v(-log
 * p_v)}, as PyTorch's {@code cross_entropy(label_smoothing=e)}. Metrics, detached and over the
 * same positions: {@code token_accuracy} (argmax equals the target), {@code perplexity}
 * ({@code exp} of the mean unsmoothed cross-entropy), {@code caption_tokens} (positions counted).
 * A batch without any target has loss 0, accuracy 0 and perplexity 1. Both arrays are read from
 * the outputs; {@code caption_targets} may come from the batch instead.
 */
@Component(service = Objective.class, configurationPid = CaptionObjective.PID)
@SynthloomPlugin(kind = Objective.KIND, name = CaptionObjective.NAME)
@Designate(ocd = CaptionConfig.class)
public class CaptionObjective implements Objective {

    static final String NAME = "caption";
    static final String PID = "org.synthloom.objectives.caption";

    private static final Set<String> REQUIRES = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(Fields.CAPTION_LOGITS, Fields.CAPTION_TARGETS)));

    private final float smoothing;

    /**
     * @param config the label smoothing
     * @throws IllegalArgumentException if the label smoothing is not in {@code [0, 1)}
     */
    @Activate
    public CaptionObjective(CaptionConfig config) {
        this.smoothing = MaskedCrossEntropy.smoothing(PID, config.label_smoothing());
    }

    @Override
    public Set<String> requires() {
        return REQUIRES;
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray logits = Outputs.require(NAME, outputs, Fields.CAPTION_LOGITS);
        NDArray targets = outputs.get(Fields.CAPTION_TARGETS);
        if (targets == null) {
            targets = batch.get(Fields.CAPTION_TARGETS);
        }
        if (targets == null) {
            throw new IllegalArgumentException(NAME + " needs '" + Fields.CAPTION_TARGETS
                    + "' in the model outputs or the batch, which is missing (outputs "
                    + outputs.stream().map(NDArray::getName).toList() + ")");
        }
        Shape shape = logits.getShape();
        if (shape.dimension() != 3 || !targets.getShape().equals(shape.slice(0, 2))) {
            throw new IllegalArgumentException(NAME + " needs " + Fields.CAPTION_LOGITS + " (B, T, V) and "
                    + Fields.CAPTION_TARGETS + " (B, T), got " + shape + " and " + targets.getShape());
        }
        if (targets.getDataType().isFloating()) {
            throw new IllegalArgumentException(NAME + " needs integer " + Fields.CAPTION_TARGETS + ", got "
                    + targets.getDataType());
        }
        MaskedCrossEntropy xent = MaskedCrossEntropy.of(logits, targets, smoothing);
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("token_accuracy", xent.accuracy());
        metrics.put("perplexity", xent.meanNll().exp());
        metrics.put("caption_tokens", xent.count());
        return new LossOutput(xent.loss(), metrics);
    }
}
