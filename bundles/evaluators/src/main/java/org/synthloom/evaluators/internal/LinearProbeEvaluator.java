package org.synthloom.evaluators.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * The {@code linear-probe} evaluator: the standard measure of a frozen image encoder. Embeds the
 * labelled samples of the training split ({@code image_embeds}, L2-normalised), fits an
 * L2-regularised softmax regression on them ({@link SoftmaxRegression}: standardised features,
 * full-batch Adam, deterministic), and reports its top-1 accuracy on the evaluation split.
 *
 * <p>A sample's class is its first label among {@link EvaluationContext#classNames()}; samples
 * without one are skipped and counted. Unlabelled data is an {@link IllegalStateException}.
 *
 * <p>Metrics: {@code linear_probe_accuracy}, {@code linear_probe_train_accuracy} (both absent when
 * either split has no labelled sample), {@code linear_probe_samples},
 * {@code linear_probe_train_samples}, {@code linear_probe_skipped}, {@code chance} = 1 / classes.
 * Details: {@code per_class_accuracy}, {@code linear_probe_fit} (final training loss).
 */
@Component(service = Evaluator.class, configurationPid = LinearProbeEvaluator.PID)
@SynthloomPlugin(kind = Evaluator.KIND, name = LinearProbeEvaluator.NAME)
@Designate(ocd = LinearProbeConfig.class)
public class LinearProbeEvaluator implements Evaluator {

    static final String NAME = "linear-probe";
    static final String PID = "org.synthloom.evaluators.linearprobe";

    private final String split;
    private final String trainSplit;
    private final int maxTrainSamples;
    private final int maxSamples;
    private final int iterations;
    private final float learningRate;
    private final float l2;
    private final int batchSize;

    /** Embedded, labelled samples of one split. */
    private record Embedded(List<float[]> features, List<Integer> labels, int skipped) {}

    /**
     * @param config splits, sample limits and the fit's settings
     * @throws IllegalArgumentException if a count or the learning rate is not positive, or l2 is
     *     negative
     */
    @Activate
    public LinearProbeEvaluator(LinearProbeConfig config) {
        this.split = Checks.notBlank(PID, "split", config.split());
        this.trainSplit = Checks.notBlank(PID, "train.split", config.train_split());
        this.maxTrainSamples = Checks.positive(PID, "max.train.samples", config.max_train_samples());
        this.maxSamples = Checks.positive(PID, "max.samples", config.max_samples());
        this.iterations = Checks.positive(PID, "iterations", config.iterations());
        this.learningRate = (float) Checks.positive(PID, "learning.rate", config.learning_rate());
        this.l2 = (float) Checks.nonNegative(PID, "l2", config.l2());
        this.batchSize = Checks.positive(PID, "batch.size", config.batch_size());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the evaluation data has no class names
     */
    /** @return the model outputs it reads */
    @Override
    public java.util.Set<String> requires() {
        return java.util.Set.of(Fields.IMAGE_EMBEDS);
    }

    @Override
    public EvaluationResult evaluate(EvaluationContext context) throws IOException {
        List<String> classes = context.classNames();
        if (classes.isEmpty()) {
            throw new IllegalStateException(NAME + " needs labelled data; the evaluation data has no class names");
        }
        Labels labels = new Labels(classes);
        Embedded train = embed(context, trainSplit, maxTrainSamples, labels);
        Embedded test = embed(context, split, maxSamples, labels);

        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> details = new LinkedHashMap<>();
        if (!train.features.isEmpty() && !test.features.isEmpty()) {
            SoftmaxRegression probe = SoftmaxRegression.fit(context.manager(), train.features.toArray(float[][]::new),
                    train.labels.stream().mapToInt(Integer::intValue).toArray(), classes.size(), iterations, learningRate, l2);
            int[] correct = new int[classes.size()];
            int[] total = new int[classes.size()];
            metrics.put("linear_probe_accuracy", accuracy(context, probe, test, correct, total));
            metrics.put("linear_probe_train_accuracy", accuracy(context, probe, train, new int[classes.size()],
                    new int[classes.size()]));
            details.put("per_class_accuracy", labels.perClass(correct, total));
            details.put("linear_probe_fit", String.format(Locale.ROOT, "%d Adam iterations, learning rate %s, l2 %s, "
                    + "final training loss %.4f", iterations, learningRate, l2, probe.loss()));
        } else {
            details.put("linear_probe", "no labelled sample in split '" + (train.features.isEmpty() ? trainSplit : split) + "'");
        }
        metrics.put("linear_probe_samples", (double) test.features.size());
        metrics.put("linear_probe_train_samples", (double) train.features.size());
        metrics.put("linear_probe_skipped", (double) (train.skipped + test.skipped));
        metrics.put("chance", 1.0 / classes.size());
        return new EvaluationResult(metrics, details);
    }

    private static double accuracy(EvaluationContext context, SoftmaxRegression probe, Embedded data, int[] correct,
            int[] total) {
        int[] predicted = probe.predict(context.manager(), data.features.toArray(float[][]::new));
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            int label = data.labels.get(i);
            total[label]++;
            if (predicted[i] == label) {
                correct[label]++;
                hits++;
            }
        }
        return hits / (double) predicted.length;
    }

    private Embedded embed(EvaluationContext context, String name, int limit, Labels labels) throws IOException {
        List<float[]> features = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        int skipped = 0;
        try (SampleSource source = context.open(name)) {
            List<Sample> batch = new ArrayList<>(batchSize);
            while (classes.size() < limit) {
                Optional<Sample> next = source.next();
                if (next.isEmpty()) {
                    break;
                }
                int label = labels.of(next.get());
                if (label < 0) {
                    skipped++;
                    continue;
                }
                batch.add(next.get());
                classes.add(label);
                if (batch.size() == batchSize || classes.size() == limit) {
                    features.addAll(List.of(Embeddings.forward(context, context.toBatch(batch), batch.size(),
                            Fields.IMAGE_EMBEDS)[0]));
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                features.addAll(List.of(Embeddings.forward(context, context.toBatch(batch), batch.size(),
                        Fields.IMAGE_EMBEDS)[0]));
            }
        }
        return new Embedded(features, classes, skipped);
    }
}
