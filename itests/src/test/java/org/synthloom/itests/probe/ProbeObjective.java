package org.synthloom.itests.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The objective of the test plugins that {@link org.synthloom.itests.Jars#probePlugin} packs into
 * bundles: symmetric InfoNCE (so the model learns), plus a metric {@code probe_tag} carrying the
 * component's {@code probe.tag} property, so that the steps it served can be read back from the
 * run's metrics. Its {@code probe.mode} makes it misbehave on purpose: {@code throw-on-activate}
 * or {@code throw-on-compute} (in the middle of a batch, after the forward pass).
 *
 * <p>It only uses the SPI and DJL, as a real plugin does, and lives in a package of its own so that
 * the test bundles carry nothing of the test.
 */
public class ProbeObjective implements Objective {

    private float tag;
    private String mode = "ok";

    /** Called by Declarative Services with the component's properties. */
    public void activate(Map<String, Object> properties) {
        tag = Float.parseFloat(String.valueOf(properties.getOrDefault("probe.tag", "0")));
        mode = String.valueOf(properties.getOrDefault("probe.mode", "ok"));
        if (mode.equals("throw-on-activate")) {
            throw new IllegalStateException("probe objective " + properties.get("synthloom.name")
                    + " cannot activate: its weights are missing (on purpose)");
        }
    }

    @Override
    public Set<String> requires() {
        return Set.of("image_embeds", "text_embeds", "logit_scale");
    }

    @Override
    public LossOutput compute(NDList outputs, NDList batch) {
        NDArray images = outputs.get("image_embeds");
        if (mode.equals("throw-on-compute")) {
            throw new IllegalStateException("probe objective " + tag + " broke in the middle of a batch (on purpose)");
        }
        NDArray logits = images.matMul(outputs.get("text_embeds").transpose()).mul(outputs.get("logit_scale"));
        long n = logits.getShape().get(0);
        NDArray eye = logits.getManager().eye((int) n);
        NDArray imageToText = logits.logSoftmax(1).mul(eye).sum().neg().div(Scalars.like(logits, n));
        NDArray textToImage = logits.transpose().logSoftmax(1).mul(eye).sum().neg().div(Scalars.like(logits, n));
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("probe_tag", logits.getManager().create(tag));
        return new LossOutput(imageToText.add(textToImage).div(Scalars.like(imageToText, 2f)), metrics);
    }
}
