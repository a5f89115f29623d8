package org.synthloom.evaluators.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.EvaluationContext;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.api.train.Evaluator;

/**
 * The {@code captioning} evaluator: generates a caption for each evaluation image with the trained
 * captioning model ({@link CaptionDecoder}: greedy or beam search over {@code caption_logits}),
 * decodes it with {@link EvaluationContext#tokenizer()}, and scores it against the sample's human
 * captions with corpus BLEU-1..4 ({@link Bleu}) and CIDEr-D ({@link CiderD}) as pycocoevalcap
 * computes them, after pycocoevalcap's tokenisation ({@link CocoTokenizer}) of both sides.
 *
 * <p>References are the captions of human provenance; a sample without one is skipped and
 * counted. A trivial baseline is reported beside: every image captioned with the most frequent
 * reference caption of the evaluated set (the first seen on a tie), scored the same way.
 *
 * <p>Metrics: {@code bleu_1} .. {@code bleu_4}, {@code cider_d}, {@code bleu_4_most_frequent},
 * {@code cider_d_most_frequent}, {@code captioning_samples}, {@code captioning_skipped} (only the
 * counts when nothing could be captioned). Details: {@code examples} (the first ten generated
 * captions with the human ones) and {@code most_frequent_caption}.
 *
 * <p>With {@code group.by}, the samples that carry that metadata key are also scored per value, each
 * group as a corpus of its own (CIDEr-D's document frequencies from the group's references, as
 * pycocoevalcap would score that subset): {@code bleu_4_<g>}, {@code cider_d_<g>},
 * {@code cider_d_most_frequent_<g>} and {@code captioning_samples_<g>}, where {@code <g>} is the value
 * with every character other than a letter or digit replaced by {@code _} ({@code held-out} becomes
 * {@code held_out}). This is how a score on held-out combinations is read next to the overall one.
 *
 * <p>For labelled samples, {@code label_named} (and {@code label_named_<g>} per group) is the share of
 * generated captions that contain every word of the sample's first label: whether the model names
 * the concept, which n-gram scores blur with phrasing.
 */
@Component(service = Evaluator.class, configurationPid = CaptioningEvaluator.PID)
@SynthloomPlugin(kind = Evaluator.KIND, name = CaptioningEvaluator.NAME)
@Designate(ocd = CaptioningConfig.class)
public class CaptioningEvaluator implements Evaluator {

    static final String NAME = "captioning";
    static final String PID = "org.synthloom.evaluators.captioning";
    static final int EXAMPLES = 10;

    private final String split;
    private final int maxSamples;
    private final int beamSize;
    private final int maxLength;
    private final int batchSize;
    private final String groupBy;

    /**
     * @param config split, sample limit, beam size, length limit and batch size
     * @throws IllegalArgumentException if a count is not positive or the length limit is negative
     */
    @Activate
    public CaptioningEvaluator(CaptioningConfig config) {
        this.split = Checks.notBlank(PID, "split", config.split());
        this.maxSamples = Checks.positive(PID, "max.samples", config.max_samples());
        this.beamSize = Checks.positive(PID, "beam.size", config.beam_size());
        this.maxLength = Checks.nonNegative(PID, "max.length", config.max_length());
        this.batchSize = Checks.positive(PID, "batch.size", config.batch_size());
        this.groupBy = config.group_by() == null ? "" : config.group_by().trim();
    }

    /** @return the model outputs it reads */
    @Override
    public java.util.Set<String> requires() {
        return java.util.Set.of(Fields.CAPTION_LOGITS);
    }

    @Override
    public EvaluationResult evaluate(EvaluationContext context) throws IOException {
        Tokenizer tokenizer = context.tokenizer();
        CaptionDecoder decoder = new CaptionDecoder(context, beamSize, maxLength);
        List<String> generated = new ArrayList<>();
        List<List<String>> humans = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int skipped = 0;
        try (SampleSource source = context.open(split)) {
            List<Sample> batch = new ArrayList<>(batchSize);
            while (generated.size() + batch.size() < maxSamples) {
                Optional<Sample> next = source.next();
                if (next.isEmpty()) {
                    break;
                }
                List<String> references = humanCaptions(next.get());
                if (references.isEmpty()) {
                    skipped++;
                    continue;
                }
                batch.add(next.get());
                humans.add(references);
                groups.add(groupBy.isEmpty() ? null : next.get().metadata().get(groupBy));
                labels.add(next.get().labels().isEmpty() ? null : next.get().labels().get(0));
                if (batch.size() == batchSize) {
                    caption(decoder, tokenizer, batch, generated);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                caption(decoder, tokenizer, batch, generated);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> details = new LinkedHashMap<>();
        if (!generated.isEmpty()) {
            // pycocoevalcap's tokenisation, once, for every score below
            List<List<String>> candidates = generated.stream().map(CocoTokenizer::tokenize).toList();
            List<List<List<String>>> references = humans.stream()
                    .map(refs -> refs.stream().map(CocoTokenizer::tokenize).toList()).toList();
            List<List<String>> labelWords = labels.stream().map(l -> l == null ? null : CocoTokenizer.tokenize(l)).toList();
            List<String> mostFrequent = mostFrequent(references);
            score(candidates, references, mostFrequent, metrics);
            labelNamed(candidates, labelWords, IntStream.range(0, candidates.size()).boxed().toList(), metrics, "");
            scoreGroups(candidates, references, labelWords, groups, metrics);
            details(generated, humans, mostFrequent, details);
        } else {
            details.put("captioning", "no sample with a human caption in split '" + split + "'");
        }
        metrics.put("captioning_samples", (double) generated.size());
        metrics.put("captioning_skipped", (double) skipped);
        return new EvaluationResult(metrics, details);
    }

    private static void caption(CaptionDecoder decoder, Tokenizer tokenizer, List<Sample> batch, List<String> generated) {
        for (int[] ids : decoder.decode(batch)) {
            generated.add(tokenizer.decode(ids));
        }
    }

    private static List<String> humanCaptions(Sample sample) {
        return sample.captions().stream().filter(c -> !c.provenance().isSynthetic()).map(Caption::text).toList();
    }

    /** BLEU-1..4, CIDEr-D and the most frequent caption's scores of the whole evaluated set. */
    private static void score(List<List<String>> candidates, List<List<List<String>>> references,
            List<String> mostFrequent, Map<String, Double> metrics) {
        double[] bleu = Bleu.corpus(candidates, references);
        for (int n = 1; n <= Bleu.N; n++) {
            metrics.put("bleu_" + n, bleu[n - 1]);
        }
        metrics.put("cider_d", CiderD.score(candidates, references).corpus());
        List<List<String>> baseline = Collections.nCopies(candidates.size(), mostFrequent);
        metrics.put("bleu_4_most_frequent", Bleu.corpus(baseline, references)[Bleu.N - 1]);
        metrics.put("cider_d_most_frequent", CiderD.score(baseline, references).corpus());
    }

    private static void details(List<String> generated, List<List<String>> humans, List<String> mostFrequent,
            Map<String, String> details) {
        StringBuilder examples = new StringBuilder();
        for (int i = 0; i < Math.min(EXAMPLES, generated.size()); i++) {
            examples.append(String.format(Locale.ROOT, "%sgenerated: %s | human: %s", i == 0 ? "" : "\n",
                    generated.get(i), String.join(" / ", humans.get(i))));
        }
        details.put("examples", examples.toString());
        details.put("most_frequent_caption", String.join(" ", mostFrequent));
    }

    /** Scores each group of samples (by their {@code group.by} value) as a corpus of its own. */
    private static void scoreGroups(List<List<String>> candidates, List<List<List<String>>> references,
            List<List<String>> labelWords, List<String> groups, Map<String, Double> metrics) {
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i) != null) {
                members.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<String, List<Integer>> group : members.entrySet()) {
            List<Integer> indices = group.getValue();
            List<List<String>> groupCandidates = indices.stream().map(candidates::get).toList();
            List<List<List<String>>> groupReferences = indices.stream().map(references::get).toList();
            String suffix = "_" + metricSuffix(group.getKey());
            metrics.put("bleu_4" + suffix, Bleu.corpus(groupCandidates, groupReferences)[Bleu.N - 1]);
            metrics.put("cider_d" + suffix, CiderD.score(groupCandidates, groupReferences).corpus());
            List<List<String>> baseline = Collections.nCopies(indices.size(), mostFrequent(groupReferences));
            metrics.put("cider_d_most_frequent" + suffix, CiderD.score(baseline, groupReferences).corpus());
            metrics.put("captioning_samples" + suffix, (double) indices.size());
            labelNamed(candidates, labelWords, indices, metrics, suffix);
        }
    }

    /**
     * {@code label_named} + suffix: the share of the labelled samples among {@code indices} whose
     * caption names the label (nothing when none is labelled). Whether a model names a concept, e.g. a
     * combination it never saw in human data, is what BLEU and CIDEr-D blur with phrasing.
     */
    private static void labelNamed(List<List<String>> candidates, List<List<String>> labelWords, List<Integer> indices,
            Map<String, Double> metrics, String suffix) {
        int named = 0;
        int labelled = 0;
        for (int i : indices) {
            if (labelWords.get(i) != null) {
                labelled++;
                named += namesLabel(candidates.get(i), labelWords.get(i)) ? 1 : 0;
            }
        }
        if (labelled > 0) {
            metrics.put("label_named" + suffix, named / (double) labelled);
        }
    }

    /** @return whether the caption contains every word of the label (both tokenised as pycocoevalcap does) */
    static boolean namesLabel(List<String> captionWords, List<String> labelWords) {
        return !labelWords.isEmpty() && captionWords.containsAll(labelWords);
    }

    /** @return a metadata value as a metric-name suffix: letters and digits kept, anything else {@code _} */
    static String metricSuffix(String value) {
        StringBuilder b = new StringBuilder(value.length());
        value.codePoints().forEach(c -> b.append(Character.isLetterOrDigit(c) ? Character.toString(c) : "_"));
        return b.toString();
    }

    /** The most frequent tokenised reference caption of the set; the first seen on a tie. */
    static List<String> mostFrequent(List<List<List<String>>> references) {
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        for (List<List<String>> refs : references) {
            for (List<String> ref : refs) {
                counts.merge(ref, 1, Integer::sum);
            }
        }
        List<String> best = List.of();
        int bestCount = 0;
        for (Map.Entry<List<String>, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }
}
