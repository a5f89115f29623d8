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
 * The {@code supervised} objective, the supervised baseline of SynCLR's comparison: the
 * cross-entropy of {@code class_logits} {@code (B, C)} (a classifier's linear head over its image
 * embeddings, e.g. the {@code classifier} recipe's) against the batch's {@code labels}
 * {@code (B)}, averaged over the samples with a label ({@code -1}, no label or not a class, is
 * ignored: no loss, no gradient). Optional label smoothing as PyTorch's.
 *
 * <p>The classifier's weights belong to the model, not to this objective: the engine optimises
 * and checkpoints the parameters of the recipe's block only. Metrics, detached: {@code accuracy}
 * (argmax equals the label, over labelled samples) and {@code labelled} (their number). A batch
 * without a label costs 0.
 */
@Component(service = Objective.class, configurationPid = SupervisedObjective.PID)
@SynthloomPlugin(kind = Objective.KIND, name = SupervisedObjective.NAME)
@Designate(ocd = SupervisedConfig.class)
public class SupervisedObjective implements Objective {

    static final String NAME = "supervised";
    static final String PID = "org.synthloom.objectives.supervised";
    /** The output it reads; {@code org.synthloom.api.model.Fields} has no constant for it yet. */
    static final String CLASS_LOGITS = Fields.CLASS_LOGITS;

    private static final Set<String> REQUIRES = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(CLASS_LOGITS, Fields.LABELS)));

    private final float smoothing;

    /**
     * @param config the label smoothing
     * @throws IllegalArgumentException if the label smoothing is not in {@code [0, 1)}
     */
    @Activate
    public SupervisedObjective(SupervisedConfig config) {
        this.smoothing = MaskedCrossEntropy.smoothing(PID, config.label_smoothing());
    }

    @Override
    public Set<String> requires() {
        return REQUIRES;
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray logits = Outputs.require(NAME, outputs, CLASS_LOGITS);
        NDArray labels = batch.get(Fields.LABELS);
        if (labels == null) {
            labels = outputs.get(Fields.LABELS);
        }
        if (labels == null) {
            throw new IllegalArgumentException(NAME + " needs the batch field '" + Fields.LABELS + "', which is missing (got "
                    + batch.stream().map(NDArray::getName).toList() + ")");
        }
        Shape shape = logits.getShape();
        if (shape.dimension() != 2 || !labels.getShape().equals(shape.slice(0, 1))) {
            throw new IllegalArgumentException(NAME + " needs " + CLASS_LOGITS + " (B, C) and " + Fields.LABELS
                    + " (B), got " + shape + " and " + labels.getShape());
        }
        if (labels.getDataType().isFloating()) {
            throw new IllegalArgumentException(NAME + " needs integer " + Fields.LABELS + ", got " + labels.getDataType());
        }
        MaskedCrossEntropy xent = MaskedCrossEntropy.of(logits, labels, smoothing);
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", xent.accuracy());
        metrics.put("labelled", xent.count());
        return new LossOutput(xent.loss(), metrics);
    }
}
