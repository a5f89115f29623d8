package org.synthloom.evaluators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Sample;
import org.synthloom.api.train.EvaluationResult;
import org.synthloom.testkit.Configs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

class CaptioningEvaluatorTest {

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * The pycocoevalcap vectors as an evaluation: image {@code i}'s human captions are the
     * references of caption {@code i}, and the model says its candidate. The synthetic caption
     * each sample carries first (the candidate itself) must not count as a reference.
     */
    @Test
    void aModelSayingTheReferenceCandidatesScoresAsPycocoevalcap() throws Exception {
        CaptionVectors v = CaptionVectors.load();
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < v.candidates().size(); i++) {
            samples.add(CaptionContext.sample("s" + i, i, v.references().get(i), v.candidates().get(i)));
            if (i == 4) {
                samples.add(CaptionContext.sample("synthetic-only", 99, List.of(), "a star"));
            }
        }
        CaptionContext context = CaptionContext.saying(manager, CaptionContext.vocabulary(Stream.concat(
                v.candidates().stream(), v.references().stream().flatMap(List::stream)).toList()), 16, samples,
                v.candidates());

        EvaluationResult result = evaluator(Map.of("batch.size", 5)).evaluate(context);

        for (int n = 1; n <= 4; n++) {
            assertEquals(v.bleu()[n - 1], result.metrics().get("bleu_" + n), 1e-6, "bleu_" + n);
        }
        assertEquals(v.ciderD(), result.metrics().get("cider_d"), 1e-6);
        assertEquals(12.0, result.metrics().get("captioning_samples"));
        assertEquals(1.0, result.metrics().get("captioning_skipped"));
        assertEquals(List.of(), context.malformed);
        assertEquals(List.of("test"), context.splits);
        assertTrue(context.forwardRows.stream().allMatch(rows -> rows <= 5), "batches of 5 samples: " + context.forwardRows);
        assertEquals(List.of(), manager.getManagedArrays(), "batches and outputs are freed as the evaluation goes");

        // Every reference caption of the set is distinct: the baseline is the first one seen.
        String first = v.references().get(0).get(0);
        assertEquals(first, result.details().get("most_frequent_caption"));
        List<List<String>> constant = v.candidates().stream().map(c -> CaptionVectors.words(first)).toList();
        assertEquals(Bleu.corpus(constant, v.referenceWords())[3], result.metrics().get("bleu_4_most_frequent"), 1e-12);
        assertEquals(CiderD.score(constant, v.referenceWords()).corpus(), result.metrics().get("cider_d_most_frequent"),
                1e-12);
        assertTrue(result.metrics().get("cider_d_most_frequent") < result.metrics().get("cider_d"));

        String[] examples = result.details().get("examples").split("\n");
        assertEquals(10, examples.length);
        assertEquals("generated: " + v.candidates().get(0) + " | human: " + String.join(" / ", v.references().get(0)),
                examples[0]);
        System.out.printf(Locale.ROOT, "captioning on the reference vectors: %s%n", result.metrics());
    }

    /** Case and PTB punctuation of the human captions do not count against an exact caption. */
    @Test
    void anExactCaptionScoresFullMarksWhateverThePunctuation() throws Exception {
        List<String> human = List.of("A small red circle.", "Two BLUE squares, side by side!", "The green star's corner");
        List<String> said = List.of("a small red circle", "two blue squares side by side", "the green star 's corner");
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < human.size(); i++) {
            samples.add(CaptionContext.sample("s" + i, i, List.of(human.get(i)), null));
        }
        CaptionContext context = CaptionContext.saying(manager, CaptionContext.vocabulary(said), 12, samples, said);
        EvaluationResult result = evaluator(Map.of()).evaluate(context);
        for (int n = 1; n <= 4; n++) {
            assertEquals(1.0, result.metrics().get("bleu_" + n), 1e-6, "bleu_" + n);
        }
        // A candidate equal to its only reference: cosine 1 at every order, no length penalty.
        assertEquals(10.0, result.metrics().get("cider_d"), 1e-9);
    }

    @Test
    void beamSearchFindsAMoreProbableCaptionThanGreedy() {
        List<String> vocabulary = List.of("a", "b", "c", "d");
        int a = 3;
        int b = 4;
        int c = 5;
        int d = 6;
        int v = 7;
        // Image 0: greedy takes "a" (0.55), then "c" (0.4), then ends: P = 0.22. "b" (0.45) then
        // the end (1.0) is twice as likely, and better per token too (log 0.45 / 2 > log 0.22 / 3).
        // Image 1: "c" then the end either way.
        CaptionContext.Model model = (image, prefix) -> {
            if (image == 0 && prefix.length == 1) {
                return logits(v, new int[] {a, b}, new double[] {0.55, 0.45});
            }
            if (image == 0 && Arrays.equals(prefix, new int[] {CaptionContext.START, a})) {
                return logits(v, new int[] {c, d, CaptionContext.END}, new double[] {0.4, 0.35, 0.25});
            }
            if (image == 1 && prefix.length == 1) {
                return logits(v, new int[] {c, CaptionContext.END}, new double[] {0.9, 0.1});
            }
            return logits(v, new int[] {CaptionContext.END}, new double[] {1});
        };
        List<Sample> samples = List.of(CaptionContext.sample("zero", 0, List.of("b"), null),
                CaptionContext.sample("one", 1, List.of("c"), null));
        CaptionContext context = new CaptionContext(manager, vocabulary, 8, samples, model);

        assertEquals(List.of("a c", "c"), decode(context, samples, 1, 0));
        assertEquals(List.of(2, 2, 2), context.forwardRows, "greedy: one row per sample, three steps");
        context.forwardRows.clear();
        assertEquals(List.of("b", "c"), decode(context, samples, 2, 0));
        assertTrue(context.forwardRows.stream().allMatch(rows -> rows == 4), "two beams of two samples per step");
        assertTrue(Math.log(0.45) > Math.log(0.55 * 0.4), "the beam's caption is the more probable one");
        assertEquals(List.of(), context.malformed);
        assertEquals(List.of(), manager.getManagedArrays());
    }

    @Test
    void generationStopsAtTheContextLengthOrMaxLength() throws Exception {
        // A model that never ends its caption.
        CaptionContext.Model chatty = (image, prefix) -> logits(4, new int[] {3}, new double[] {1});
        List<Sample> samples = List.of(CaptionContext.sample("s", 0, List.of("a"), null));
        CaptionContext context = new CaptionContext(manager, List.of("a"), 6, samples, chatty);
        assertEquals(List.of("a a a a a"), decode(context, samples, 1, 0), "start + 5 tokens fill the context of 6");
        // Beams: the end token's hypotheses (probability ~e^-10000) do not stop the search early.
        assertEquals(List.of("a a a a a"), decode(context, samples, 3, 0));
        assertEquals(List.of("a a a"), decode(context, samples, 1, 3));
        EvaluationResult result = evaluator(Map.of("max.length", 2)).evaluate(context);
        assertEquals("generated: a a | human: a", result.details().get("examples"));
        assertEquals(List.of(), context.malformed);
    }

    @Test
    void limitsSkippedSamplesAndConfigurationAreHonoured() throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            samples.add(CaptionContext.sample("s" + i, 0, List.of("a b"), null));
        }
        CaptionContext context = CaptionContext.saying(manager, List.of("a", "b"), 6, samples, List.of("a b"));
        EvaluationResult result = evaluator(Map.of("max.samples", 3, "split", "val")).evaluate(context);
        assertEquals(3.0, result.metrics().get("captioning_samples"));
        assertEquals(List.of("val"), context.splits);

        CaptionContext none = new CaptionContext(manager, List.of("a"), 6,
                List.of(CaptionContext.sample("x", 0, List.of(), "a")), null);
        EvaluationResult empty = evaluator(Map.of()).evaluate(none);
        assertEquals(Map.of("captioning_samples", 0.0, "captioning_skipped", 1.0), empty.metrics());

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("beam.size", 0), Map.of("max.length", -1),
                Map.of("max.samples", 0), Map.of("batch.size", 0), Map.of("split", " "))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluator(bad));
            assertTrue(e.getMessage().contains(CaptioningEvaluator.PID), e.getMessage());
        }
    }

    /**
     * Samples carrying the group key are scored per group as corpora of their own; the whole set
     * is scored as before. The model says the held-out scenes' captions exactly and the common
     * ones' wrongly.
     */
    @Test
    void groupsAreScoredEachAsItsOwnCorpus() throws Exception {
        List<String> human = List.of("a red circle at the top", "two blue stars side by side", "a green hexagon on the left",
                "a yellow square", "an orange diamond at the top", "a black triangle");
        List<String> said = List.of("a red circle at the top", "two blue stars side by side", "a green hexagon on the left",
                "a red circle", "two blue stars", "a black triangle");
        List<String> coverage = Arrays.asList("held-out", "held-out", "held-out", "common", "common", null);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < human.size(); i++) {
            Sample plain = CaptionContext.sample("s" + i, i, List.of(human.get(i)), null);
            samples.add(coverage.get(i) == null ? plain : plain.toBuilder().metadata("train.coverage", coverage.get(i)).build());
        }
        List<String> vocabulary = CaptionContext.vocabulary(Stream.concat(human.stream(), said.stream()).toList());
        CaptionContext context = CaptionContext.saying(manager, vocabulary, 12, samples, said);

        Map<String, Double> m = evaluator(Map.of()).evaluate(context).metrics();

        assertEquals(3.0, m.get("captioning_samples_held_out"));
        assertEquals(2.0, m.get("captioning_samples_common"));
        assertEquals(6.0, m.get("captioning_samples"), "the sample without the key still counts in the whole set");
        assertEquals(10.0, m.get("cider_d_held_out"), 1e-9, "exact captions of at least four words, distinct references");
        assertEquals(1.0, m.get("bleu_4_held_out"), 1e-6);
        List<List<String>> commonSaid = Stream.of(said.get(3), said.get(4)).map(CocoTokenizer::tokenize).toList();
        List<List<List<String>>> commonHuman = Stream.of(human.get(3), human.get(4))
                .map(h -> List.of(CocoTokenizer.tokenize(h))).toList();
        assertEquals(CiderD.score(commonSaid, commonHuman).corpus(), m.get("cider_d_common"), 1e-12,
                "document frequencies from the group's own references");
        assertTrue(m.get("cider_d_common") < 1.0, "wrong captions score low: " + m);
        List<List<String>> all = said.stream().map(CocoTokenizer::tokenize).toList();
        List<List<List<String>>> allHuman = human.stream().map(h -> List.of(CocoTokenizer.tokenize(h))).toList();
        assertEquals(CiderD.score(all, allHuman).corpus(), m.get("cider_d"), 1e-12);
        assertTrue(m.containsKey("cider_d_most_frequent_held_out"));

        Map<String, Double> ungrouped = evaluator(Map.of("group.by", "")).evaluate(context).metrics();
        assertTrue(ungrouped.keySet().stream().noneMatch(k -> k.endsWith("_held_out") || k.endsWith("_common")),
                ungrouped.toString());
        assertEquals(m.get("cider_d"), ungrouped.get("cider_d"), 1e-12);
        assertEquals("held_out", CaptioningEvaluator.metricSuffix("held-out"));
        assertTrue(CaptioningEvaluator.namesLabel(CocoTokenizer.tokenize("A RED circle, at the top."), CocoTokenizer.tokenize("red circle")));
        assertTrue(!CaptioningEvaluator.namesLabel(CocoTokenizer.tokenize("a red square"), CocoTokenizer.tokenize("red circle")));
        assertTrue(!CaptioningEvaluator.namesLabel(CocoTokenizer.tokenize("a circle"), CocoTokenizer.tokenize("red circle")));
    }

    /** The share of captions naming their label, overall and per group; unlabelled samples do not count. */
    @Test
    void theShareOfCaptionsNamingTheirLabelIsReportedPerGroup() throws Exception {
        List<String> labels = Arrays.asList("red circle", "blue star", "green hexagon", "yellow square", null);
        List<String> said = List.of("a red circle", "a blue square", "one green hexagon", "a yellow circle", "a star");
        List<String> coverage = List.of("held-out", "held-out", "common", "common", "common");
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < said.size(); i++) {
            Sample.Builder b = CaptionContext.sample("s" + i, i, List.of("a picture"), null).toBuilder()
                    .metadata("train.coverage", coverage.get(i));
            if (labels.get(i) != null) {
                b.label(labels.get(i));
            }
            samples.add(b.build());
        }
        List<String> vocabulary = CaptionContext.vocabulary(Stream.concat(said.stream(), Stream.of("a picture")).toList());
        Map<String, Double> m = evaluator(Map.of()).evaluate(CaptionContext.saying(manager, vocabulary, 8, samples, said))
                .metrics();
        assertEquals(2 / 4.0, m.get("label_named"), 1e-12, "the unlabelled fifth sample is not counted");
        assertEquals(1 / 2.0, m.get("label_named_held_out"), 1e-12);
        assertEquals(1 / 2.0, m.get("label_named_common"), 1e-12);
        assertEquals("a_b_c", CaptioningEvaluator.metricSuffix("a b.c"));
    }

    private static List<String> decode(CaptionContext context, List<Sample> samples, int beams, int maxLength) {
        return new CaptionDecoder(context, beams, maxLength).decode(samples).stream()
                .map(ids -> context.tokenizer().decode(ids)).toList();
    }

    /** Logits whose softmax is {@code p} on {@code ids} and (practically) 0 elsewhere. */
    private static float[] logits(int v, int[] ids, double[] p) {
        float[] logits = new float[v];
        Arrays.fill(logits, -1e4f);
        for (int i = 0; i < ids.length; i++) {
            logits[ids[i]] = (float) Math.log(p[i]);
        }
        return logits;
    }

    private static CaptioningEvaluator evaluator(Map<String, Object> config) {
        return new CaptioningEvaluator(Configs.of(CaptioningConfig.class, config));
    }
}
