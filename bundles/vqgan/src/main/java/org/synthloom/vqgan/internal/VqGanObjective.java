package org.synthloom.vqgan.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The tokenizer's training loss, internal to the bundle (not a service): L1 reconstruction error in
 * the normalised pixel space plus the quantiser's VQ loss. Metrics, detached, of the training
 * batch: {@code batch_psnr} (mean per-image PSNR in [0, 1] pixel space), {@code vq_loss} and, when
 * the model quantises, {@code batch_code_usage} (fraction of the codebook used in the batch) and
 * {@code batch_perplexity} (of the batch's code distribution). The {@code batch_} prefix keeps them
 * apart from the fit's final measurements over all the human images, which the tokenizer reports
 * under the same label ({@code vqgan/psnr}, {@code vqgan/code_usage}, {@code vqgan/perplexity}).
 */
final class VqGanObjective implements Objective {

    private final int codebookSize;

    /** @param codebookSize {@code K}, for the usage metrics */
    VqGanObjective(int codebookSize) {
        this.codebookSize = codebookSize;
    }

    @Override
    public Set<String> requires() {
        return Set.of(VqGanBlock.RECONSTRUCTION, VqGanBlock.VQ_LOSS, Fields.IMAGES);
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray reconstruction = required(outputs, VqGanBlock.RECONSTRUCTION, "model output");
        NDArray vq = required(outputs, VqGanBlock.VQ_LOSS, "model output");
        NDArray images = required(batch, Fields.IMAGES, "batch field");
        if (!reconstruction.getShape().equals(images.getShape())) {
            throw new IllegalArgumentException("the reconstruction " + reconstruction.getShape()
                    + " does not match the images " + images.getShape());
        }
        NDArray loss = reconstruction.sub(images).abs().mean().add(vq);
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("batch_psnr", Pixels.psnr(reconstruction.stopGradient(), images).mean());
        metrics.put("vq_loss", vq.stopGradient());
        NDArray codes = outputs.get(VqGanBlock.CODES);
        if (codes != null) {
            NDArray counts = CodeStats.counts(codes, codebookSize);
            metrics.put("batch_code_usage", CodeStats.usage(counts));
            metrics.put("batch_perplexity", CodeStats.perplexity(counts));
        }
        return new LossOutput(loss, metrics);
    }

    private static NDArray required(NDList list, String name, String what) {
        NDArray array = list.get(name);
        if (array == null) {
            throw new IllegalArgumentException("the VQ-GAN loss needs the " + what + " '" + name + "'");
        }
        return array;
    }
}
