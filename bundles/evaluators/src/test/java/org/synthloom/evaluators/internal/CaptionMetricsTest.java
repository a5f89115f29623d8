package org.synthloom.evaluators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** {@link Bleu}, {@link CiderD} and {@link CocoTokenizer} against pycocoevalcap. */
class CaptionMetricsTest {

    @Test
    void bleuAgreesWithPycocoevalcap() throws IOException {
        CaptionVectors v = CaptionVectors.load();
        double[] bleu = Bleu.corpus(v.candidateWords(), v.referenceWords());
        for (int n = 0; n < Bleu.N; n++) {
            assertEquals(v.bleu()[n], bleu[n], 1e-6, "BLEU-" + (n + 1));
        }
        System.out.printf(Locale.ROOT, "BLEU-1..4 %.10f %.10f %.10f %.10f (pycocoevalcap %.10f %.10f %.10f %.10f)%n",
                bleu[0], bleu[1], bleu[2], bleu[3], v.bleu()[0], v.bleu()[1], v.bleu()[2], v.bleu()[3]);
    }

    @Test
    void ciderDAgreesWithPycocoevalcapForTheCorpusAndEachCaption() throws IOException {
        CaptionVectors v = CaptionVectors.load();
        CiderD.Score score = CiderD.score(v.candidateWords(), v.referenceWords());
        assertEquals(v.ciderD(), score.corpus(), 1e-6, "CIDEr-D");
        assertEquals(v.ciderDEach().length, score.perImage().length);
        double worst = 0;
        for (int i = 0; i < score.perImage().length; i++) {
            assertEquals(v.ciderDEach()[i], score.perImage()[i], 1e-6, "CIDEr-D of caption " + i);
            worst = Math.max(worst, Math.abs(v.ciderDEach()[i] - score.perImage()[i]));
        }
        System.out.printf(Locale.ROOT, "CIDEr-D %.10f (pycocoevalcap %.10f), largest per-caption difference %.1e%n",
                score.corpus(), v.ciderD(), worst);
    }

    /** Worked by hand: one image, candidate "a b c" against "a b c d" and "x y". */
    @Test
    void bleuOfASmallCaseWorkedByHand() {
        List<List<String>> candidates = List.of(List.of("a", "b", "c"));
        List<List<List<String>>> references = List.of(List.of(List.of("a", "b", "c", "d"), List.of("x", "y")));
        // Closest reference length to 3: 4 and 2 are both 1 away, the shorter (2) wins: no brevity penalty.
        double[] bleu = Bleu.corpus(candidates, references);
        assertEquals(1.0, bleu[0], 1e-9);
        assertEquals(1.0, bleu[1], 1e-9);
        assertEquals(1.0, bleu[2], 1e-9);
        // No 4-gram guessed: its precision is (0 + 1e-15) / (0 + 1e-9), the others (m + 1e-15) / (m + 1e-9).
        double product = (3 + 1e-15) / (3 + 1e-9) * (2 + 1e-15) / (2 + 1e-9) * (1 + 1e-15) / (1 + 1e-9) * 1e-15 / 1e-9;
        assertEquals(Math.pow(product, 0.25), bleu[3], 1e-15);
        // Only "a b c d" as reference: ratio 3/4 gives the penalty exp(1 - 4/3).
        double[] penalised = Bleu.corpus(candidates, List.of(List.of(List.of("a", "b", "c", "d"))));
        assertEquals(Math.exp(1 - 4.0 / 3.0), penalised[0], 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(candidates, List.of(List.of())));
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of(), List.of()));
    }

    /**
     * Two images: a candidate equal to its only reference scores the sum over orders of the
     * cosine 1 (every n-gram's weight clipped to itself), mean 1, times 10, when none of its
     * n-grams appears in the other image's references (idf log 2 for all, but any constant idf
     * cancels in the cosine). An empty candidate scores 0.
     */
    @Test
    void ciderDOfSmallCasesWorkedByHand() {
        List<List<List<String>>> references = List.of(List.of(List.of("a", "red", "big", "circle")),
                List.of(List.of("one", "blue", "square")));
        CiderD.Score score = CiderD.score(List.of(List.of("a", "red", "big", "circle"), List.of()), references);
        assertEquals(10.0, score.perImage()[0], 1e-9);
        assertEquals(0.0, score.perImage()[1], 0.0);
        assertEquals(5.0, score.corpus(), 1e-9);
        // Three words against four, every weight log 2: per order the cosine is matches over
        // sqrt(candidate n-grams * reference n-grams), the 4-gram order has none (norm 0: 0),
        // and one bigram of length difference costs exp(-1 / (2 * 6^2)).
        List<String> three = List.of("a", "red", "big");
        double unigram = 3 / Math.sqrt(3 * 4);
        double bigram = 2 / Math.sqrt(2 * 3);
        double trigram = 1 / Math.sqrt(1 * 2);
        double expected = (unigram + bigram + trigram) / 4 * Math.exp(-1 / 72.0) * 10;
        assertEquals(expected, CiderD.score(List.of(three, List.of()), references).perImage()[0], 1e-9);
    }

    @Test
    void theTokenizerLowerCasesAndDropsPtbPunctuation() {
        assertEquals(List.of("a", "man", "riding", "a", "horse"), CocoTokenizer.tokenize("A man, riding a horse."));
        assertEquals(List.of("the", "dog", "'s", "ball", "is", "red"), CocoTokenizer.tokenize("The dog's ball (is) RED!"));
        assertEquals(List.of("two", "t-shirts", "blue", "ones"), CocoTokenizer.tokenize("Two t-shirts -- blue ones..."));
        assertEquals(List.of("it", "'s", "3.5", "m", "at", "10:30", "1,000", "people"),
                CocoTokenizer.tokenize("It's 3.5 m; at 10:30, 1,000 people?"));
        assertEquals(List.of("do", "n't", "say", "quoted"), CocoTokenizer.tokenize("Don't say \"quoted\" - `` ''"));
        assertEquals(List.of(), CocoTokenizer.tokenize("  ... ! "));
        // Pre-tokenised text is left as it is.
        List<String> words = new ArrayList<>(List.of("on", "on", "above", "plain", "star", "red"));
        assertEquals(words, CocoTokenizer.tokenize(String.join(" ", words)));
    }
}
