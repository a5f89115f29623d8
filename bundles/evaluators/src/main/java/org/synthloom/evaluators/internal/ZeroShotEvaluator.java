package org.synthloom.evaluators.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.api.train.Evaluator;

/**
 * The {@code zero-shot} evaluator: classifies each image by the class whose prompt embedding is
 * most similar, as CLIP does, and scores it against the sample's first label.
 *
 * <p>A class embeds as the re-normalised mean of the L2-normalised embeddings of its prompts (each
 * template with {@code {}} replaced by the class name). Prompts go through
 * {@link EvaluationContext#tokenize} and {@link EvaluationContext#forward} as a <em>text-only
 * batch</em>, of which only {@code text_embeds} is read: the engine's forward must accept such a
 * batch (the {@code clip} recipe does). Images go through {@link EvaluationContext#toBatch} and
 * only {@code image_embeds} is read. A prediction is correct only if the label's score is strictly
 * the highest: a tie is a miss, as in {@code retrieval}. Samples whose first label is not a class
 * name, or that have no label, are skipped and counted.
 *
 * <p>Metrics: {@code zero_shot_accuracy} (absent when no sample could be classified),
 * {@code zero_shot_samples}, {@code zero_shot_skipped}, {@code chance} = 1 / classes. Details:
 * {@code per_class_accuracy}.
 */
@Component(service = Evaluator.class, configurationPid = ZeroShotEvaluator.PID)
@SynthloomPlugin(kind = Evaluator.KIND, name = ZeroShotEvaluator.NAME)
@Designate(ocd = ZeroShotConfig.class)
public class ZeroShotEvaluator implements Evaluator {

    static final String NAME = "zero-shot";
    static final String PID = "org.synthloom.evaluators.zeroshot";
    static final String SLOT = "{}";

    private final String split;
    private final List<String> templates;
    private final int batchSize;
    private final int limit;

    /**
     * @param config split, templates, batch size and limit
     * @throws IllegalArgumentException if there is no template, a template lacks {@code {}}, or
     *     the batch size or limit is not positive
     */
    @Activate
    public ZeroShotEvaluator(ZeroShotConfig config) {
        this.split = Checks.notBlank(PID, "split", config.split());
        this.templates = List.of(config.templates());
        this.batchSize = Checks.positive(PID, "batch.size", config.batch_size());
        this.limit = Checks.positive(PID, "limit", config.limit());
        if (templates.isEmpty()) {
            throw new IllegalArgumentException(PID + ": templates must not be empty");
        }
        for (String template : templates) {
            if (!template.contains(SLOT)) {
                throw new IllegalArgumentException(PID + ": template '" + template + "' has no " + SLOT);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the evaluation data has no class names
     */
    /** @return the model outputs it reads */
    @Override
    public java.util.Set<String> requires() {
        return java.util.Set.of(Fields.IMAGE_EMBEDS, Fields.TEXT_EMBEDS);
    }

    @Override
    public EvaluationResult evaluate(EvaluationContext context) throws IOException {
        List<String> classes = context.classNames();
        if (classes.isEmpty()) {
            throw new IllegalStateException(NAME + " needs labelled evaluation data; split '" + split
                    + "' has no class names");
        }
        Labels labels = new Labels(classes);
        float[][] classEmbeddings = classEmbeddings(context, classes);

        int[] correct = new int[classes.size()];
        int[] total = new int[classes.size()];
        int skipped = 0;
        try (SampleSource source = context.open(split)) {
            List<Sample> batch = new ArrayList<>(batchSize);
            List<Integer> batchLabels = new ArrayList<>(batchSize);
            int taken = 0;
            while (taken < limit) {
                Optional<Sample> next = source.next();
                if (next.isEmpty()) {
                    break;
                }
                Sample sample = next.get();
                int label = labels.of(sample);
                if (label < 0) {
                    skipped++;
                    continue;
                }
                batch.add(sample);
                batchLabels.add(label);
                taken++;
                if (batch.size() == batchSize) {
                    classify(context, batch, batchLabels, classEmbeddings, correct, total);
                    batch.clear();
                    batchLabels.clear();
                }
            }
            if (!batch.isEmpty()) {
                classify(context, batch, batchLabels, classEmbeddings, correct, total);
            }
        }
        return result(labels, correct, total, skipped);
    }

    /** One unit vector per class: the normalised mean of its normalised prompt embeddings. */
    private float[][] classEmbeddings(EvaluationContext context, List<String> classes) {
        List<String> prompts = new ArrayList<>(classes.size() * templates.size());
        for (String name : classes) {
            for (String template : templates) {
                prompts.add(template.replace(SLOT, name));
            }
        }
        float[][] sums = new float[classes.size()][];
        for (int start = 0; start < prompts.size(); start += batchSize) {
            List<String> chunk = prompts.subList(start, Math.min(prompts.size(), start + batchSize));
            float[][] embeds = Embeddings.forward(context, context.tokenize(chunk), chunk.size(), Fields.TEXT_EMBEDS)[0];
            for (int i = 0; i < embeds.length; i++) {
                int c = (start + i) / templates.size();
                if (sums[c] == null) {
                    sums[c] = embeds[i];
                } else {
                    for (int d = 0; d < embeds[i].length; d++) {
                        sums[c][d] += embeds[i][d];
                    }
                }
            }
        }
        for (float[] sum : sums) {
            Embeddings.normalize(sum);
        }
        return sums;
    }

    private static void classify(EvaluationContext context, List<Sample> batch, List<Integer> labels,
            float[][] classEmbeddings, int[] correct, int[] total) {
        float[][] images = Embeddings.forward(context, context.toBatch(batch), batch.size(), Fields.IMAGE_EMBEDS)[0];
        for (int i = 0; i < images.length; i++) {
            int label = labels.get(i);
            total[label]++;
            correct[label] += strictlyBest(images[i], classEmbeddings, label) ? 1 : 0;
        }
    }

    /** True if the label's class scores strictly above every other class (NaN never wins). */
    static boolean strictlyBest(float[] image, float[][] classEmbeddings, int label) {
        float score = Embeddings.dot(image, classEmbeddings[label]);
        for (int c = 0; c < classEmbeddings.length; c++) {
            if (c != label && !(Embeddings.dot(image, classEmbeddings[c]) < score)) {
                return false;
            }
        }
        return true;
    }

    private static EvaluationResult result(Labels labels, int[] correct, int[] total, int skipped) {
        int hits = 0;
        int samples = 0;
        for (int c = 0; c < labels.size(); c++) {
            hits += correct[c];
            samples += total[c];
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (samples > 0) {
            metrics.put("zero_shot_accuracy", hits / (double) samples);
        }
        metrics.put("zero_shot_samples", (double) samples);
        metrics.put("zero_shot_skipped", (double) skipped);
        metrics.put("chance", 1.0 / labels.size());
        return new EvaluationResult(metrics, Map.of("per_class_accuracy", labels.perClass(correct, total)));
    }
}
