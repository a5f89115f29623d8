package org.synthloom.pipeline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

class CaptionStatsTest {

    private static GeneratedCaption caption(String concept, String text) {
        return new GeneratedCaption(Concept.of(concept), new Caption(text, Provenance.synthetic("test", "1", 0)));
    }

    @Test
    void distinctNCountsDistinctNgramsOverAllNgramsOfTheSet() {
        // words: [a red dog] [a red cat] [A red, dog!] -> 9 unigrams, distinct {a, red, dog, cat} = 4
        // bigrams: (a red)(red dog) (a red)(red cat) (a red)(red dog) -> 6, distinct 3
        // trigrams: (a red dog) (a red cat) (a red dog) -> 3, distinct 2
        CaptionStats stats = CaptionStats.of(List.of(caption("dog", "a red dog"), caption("cat", "a red cat"),
                caption("dog", "A red, dog!")));
        assertEquals(4.0 / 9, stats.distinct1(), 1e-12);
        assertEquals(3.0 / 6, stats.distinct2(), 1e-12);
        assertEquals(2.0 / 3, stats.distinct3(), 1e-12);
        assertEquals(stats.distinct2(), stats.distinct(2));
        assertEquals(3.0, stats.meanLength(), 1e-12);
        assertEquals(Map.of("dog", 2, "cat", 1), stats.perConcept());
        assertEquals(List.of("dog", "cat"), List.copyOf(stats.perConcept().keySet()));
        // "A red, dog!" differs from "a red dog" as text: no duplicate
        assertEquals(0.0, stats.duplicateRate());
    }

    @Test
    void duplicateRateIsTheShareOfCaptionsRepeatingAnEarlierOne() {
        CaptionStats stats = CaptionStats.ofTexts(List.of("a dog", "a dog", "a cat", " a dog ", "two dogs running"));
        assertEquals(2.0 / 5, stats.duplicateRate(), 1e-12);
        assertEquals((2 + 2 + 2 + 2 + 3) / 5.0, stats.meanLength(), 1e-12);
        assertEquals(Map.of(), stats.perConcept());
        assertEquals(5, stats.captions());
    }

    @Test
    void shortCaptionsContributeNoLongerNgramsAndAnEmptySetIsAllZero() {
        CaptionStats oneWord = CaptionStats.ofTexts(List.of("dog", "cat"));
        assertEquals(1.0, oneWord.distinct1());
        assertEquals(0.0, oneWord.distinct2());
        assertEquals(0.0, oneWord.distinct3());
        CaptionStats empty = CaptionStats.ofTexts(List.of());
        assertEquals(0.0, empty.distinct1());
        assertEquals(0.0, empty.meanLength());
        assertEquals(0.0, empty.duplicateRate());
        assertEquals(List.of("captions", "distinct_1", "distinct_2", "distinct_3", "mean_length", "duplicate_rate"),
                List.copyOf(empty.metrics().keySet()));
        assertThrows(IllegalArgumentException.class, () -> empty.distinct(4));
    }

    @Test
    void wordsIgnoreCaseAndPunctuationButKeepUnicodeLettersAndApostrophes() {
        assertEquals(List.of("the", "café's", "crème", "brûlée", "3"), CaptionStats.words("The café's CRÈME-brûlée (3)."));
    }
}
