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
import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The {@code multi-positive} objective: the multi-positive contrastive loss of SynCLR and
 * StableRep. Several images of one caption group (SynCLR's images generated from one caption,
 * CLIPS's full and partial captions) are all positives of each other's texts.
 *
 * <p>With {@code logits = logit_scale * I T^T} and the target {@code p[i][j] = same(i, j) /
 * |group(i)|} (row {@code i}'s mass spread evenly over the columns of its caption group), the
 * image-to-text loss is the cross-entropy {@code -mean_i sum_j p[i][j] log softmax_j(logits[i])}.
 * With all groups distinct it is CLIP's image-to-text half. Option {@code symmetric} averages it
 * with the text-to-image direction (the same over columns).
 *
 * <p>Reads {@code image_embeds} {@code (B, D)}, {@code text_embeds} {@code (B, D)},
 * {@code logit_scale} (a scalar, already exponentiated) from the outputs and
 * {@code caption_groups} (integer {@code (B)}) from the batch (or the outputs, if a model passes
 * it through). Metrics, detached: {@code i2t_accuracy} (the row's top text is in its group),
 * {@code t2i_accuracy} when symmetric, {@code positives} (mean positives per row),
 * {@code logit_scale}.
 */
@Component(service = Objective.class, configurationPid = MultiPositiveObjective.PID)
@SynthloomPlugin(kind = Objective.KIND, name = MultiPositiveObjective.NAME)
@Designate(ocd = MultiPositiveConfig.class)
public class MultiPositiveObjective implements Objective {

    static final String NAME = "multi-positive";
    static final String PID = "org.synthloom.objectives.multipositive";

    private static final Set<String> REQUIRES = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS, Fields.LOGIT_SCALE, Fields.CAPTION_GROUPS)));

    private final boolean symmetric;

    /** @param config whether to add the text-to-image direction */
    @Activate
    public MultiPositiveObjective(MultiPositiveConfig config) {
        this.symmetric = config.symmetric();
    }

    @Override
    public Set<String> requires() {
        return REQUIRES;
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray[] pair = Outputs.embeddingPair(NAME, outputs);
        NDArray scale = Outputs.scalar(NAME, outputs, Fields.LOGIT_SCALE);
        NDArray groups = groups(outputs, batch, pair[0].getShape().get(0));
        NDArray logits = Outputs.logits(pair[0], pair[1], scale);

        long b = groups.getShape().get(0);
        // same[i][j] = 1 where image i and text j share a caption group; the diagonal always does,
        // so no row or column sum is zero.
        NDArray same = groups.reshape(b, 1).eq(groups.reshape(1, b)).toType(logits.getDataType(), false);
        NDArray imageToText = crossEntropy(logits, same, 1);
        NDArray loss = symmetric ? imageToText.add(crossEntropy(logits, same, 0)).mul(Scalars.like(imageToText, 0.5f)) : imageToText;

        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("i2t_accuracy", groupAccuracy(logits, same, 1));
        if (symmetric) {
            metrics.put("t2i_accuracy", groupAccuracy(logits, same, 0));
        }
        metrics.put("positives", same.sum(new int[] {1}).mean());
        metrics.put("logit_scale", scale.stopGradient());
        return new LossOutput(loss, metrics);
    }

    /**
     * Cross-entropy against the target spread evenly over the positives, along {@code axis} (1:
     * each image over texts, 0: each text over images), averaged over the other axis.
     */
    private static NDArray crossEntropy(NDArray logits, NDArray same, int axis) {
        NDArray target = same.div(same.sum(new int[] {axis}, true));
        return target.mul(logits.logSoftmax(axis)).sum(new int[] {axis}).mean().neg();
    }

    /** Fraction of rows (axis 1) or columns (axis 0) whose top-scoring partner is a positive. */
    private static NDArray groupAccuracy(NDArray logits, NDArray same, int axis) {
        NDArray best = logits.stopGradient().argMax(axis).toType(DataType.INT64, false).expandDims(axis);
        return same.gather(best, axis).mean();
    }

    private static NDArray groups(NDList outputs, NDList batch, long size) {
        NDArray groups = batch.get(Fields.CAPTION_GROUPS);
        if (groups == null) {
            groups = outputs.get(Fields.CAPTION_GROUPS);
        }
        if (groups == null) {
            throw new IllegalArgumentException(NAME + " needs the batch field '" + Fields.CAPTION_GROUPS
                    + "', which is missing (got " + batch.stream().map(NDArray::getName).toList() + ")");
        }
        if (!groups.getShape().equals(new Shape(size))) {
            throw new IllegalArgumentException(NAME + " needs '" + Fields.CAPTION_GROUPS + "' of shape (" + size
                    + "), one group per pair, got " + groups.getShape());
        }
        if (groups.getDataType().isFloating()) {
            throw new IllegalArgumentException(NAME + " needs integer '" + Fields.CAPTION_GROUPS + "', got "
                    + groups.getDataType());
        }
        return groups;
    }
}
