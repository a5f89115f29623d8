package org.synthloom.pipeline.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.synthloom.api.generate.GeneratedCaption;

/**
 * Diversity statistics of a set of captions, as the caption-generation literature reports them.
 *
 * <ul>
 *   <li><b>distinct-n</b> (n = 1, 2, 3): the number of distinct word n-grams divided by the number
 *       of n-grams over the whole set (Li et al., 2016). 1 means no n-gram repeats; a generator
 *       that repeats itself scores low. A caption shorter than n words contributes no n-gram; a
 *       set without any n-gram has distinct-n 0.
 *   <li><b>per-concept counts</b>: captions per concept name, in first-seen order.
 *   <li><b>mean length</b>: words per caption.
 *   <li><b>duplicate rate</b>: the share of captions whose text already occurred earlier in the
 *       set, i.e. {@code 1 - distinct texts / captions}; 0 for an empty set.
 * </ul>
 *
 * <p>Words are maximal runs of letters, digits and apostrophes, lower-cased (locale-neutral), so
 * punctuation and case do not make two n-grams differ. Duplicates compare the caption texts after
 * trimming, exactly. Instances are immutable and thread safe.
 */
public final class CaptionStats {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

    private final int captions;
    private final double[] distinct = new double[3];
    private final Map<String, Integer> perConcept;
    private final double meanLength;
    private final double duplicateRate;

    private CaptionStats(List<String> texts, Map<String, Integer> perConcept) {
        this.captions = texts.size();
        this.perConcept = Collections.unmodifiableMap(perConcept);
        List<List<String>> words = new ArrayList<>(texts.size());
        long totalWords = 0;
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (String text : texts) {
            List<String> w = words(text);
            words.add(w);
            totalWords += w.size();
            if (!seen.add(text.trim())) {
                duplicates++;
            }
        }
        for (int n = 1; n <= 3; n++) {
            distinct[n - 1] = distinctN(words, n);
        }
        this.meanLength = captions == 0 ? 0 : (double) totalWords / captions;
        this.duplicateRate = captions == 0 ? 0 : (double) duplicates / captions;
    }

    /**
     * Statistics of a generator's output.
     *
     * @param captions the captions, as a {@link org.synthloom.api.generate.CaptionGenerator} returns them
     * @return their statistics
     */
    public static CaptionStats of(List<GeneratedCaption> captions) {
        Objects.requireNonNull(captions, "captions");
        List<String> texts = new ArrayList<>(captions.size());
        Map<String, Integer> perConcept = new LinkedHashMap<>();
        for (GeneratedCaption c : captions) {
            texts.add(c.caption().text());
            perConcept.merge(c.concept().name(), 1, Integer::sum);
        }
        return new CaptionStats(texts, perConcept);
    }

    /**
     * Statistics of plain caption texts (no concepts: {@link #perConcept()} is empty).
     *
     * @param texts the captions
     * @return their statistics
     */
    public static CaptionStats ofTexts(List<String> texts) {
        return new CaptionStats(List.copyOf(texts), new LinkedHashMap<>());
    }

    /**
     * The words of a caption as the statistics count them.
     *
     * @param text a caption
     * @return its lower-cased words, in order
     */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static double distinctN(List<List<String>> words, int n) {
        Set<List<String>> distinct = new HashSet<>();
        long total = 0;
        for (List<String> w : words) {
            for (int i = 0; i + n <= w.size(); i++) {
                distinct.add(w.subList(i, i + n));
                total++;
            }
        }
        return total == 0 ? 0 : (double) distinct.size() / total;
    }

    /** @return the number of captions */
    public int captions() {
        return captions;
    }

    /**
     * @param n 1, 2 or 3
     * @return distinct-n of the set, in [0, 1]
     * @throws IllegalArgumentException if n is not 1, 2 or 3
     */
    public double distinct(int n) {
        if (n < 1 || n > 3) {
            throw new IllegalArgumentException("distinct-n is computed for n = 1, 2, 3, not " + n);
        }
        return distinct[n - 1];
    }

    /** @return distinct-1: distinct words over all words */
    public double distinct1() {
        return distinct[0];
    }

    /** @return distinct-2: distinct word pairs over all word pairs */
    public double distinct2() {
        return distinct[1];
    }

    /** @return distinct-3: distinct word triples over all word triples */
    public double distinct3() {
        return distinct[2];
    }

    /** @return captions per concept name, in the order the concepts first occur; unmodifiable */
    public Map<String, Integer> perConcept() {
        return perConcept;
    }

    /** @return the mean number of words per caption; 0 for an empty set */
    public double meanLength() {
        return meanLength;
    }

    /** @return the share of captions that repeat an earlier caption's text, in [0, 1) */
    public double duplicateRate() {
        return duplicateRate;
    }

    /**
     * The statistics as named metrics, for run events and result tables.
     *
     * @return {@code captions}, {@code distinct_1}, {@code distinct_2}, {@code distinct_3},
     *     {@code mean_length}, {@code duplicate_rate}, in that order
     */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("captions", (double) captions);
        m.put("distinct_1", distinct[0]);
        m.put("distinct_2", distinct[1]);
        m.put("distinct_3", distinct[2]);
        m.put("mean_length", meanLength);
        m.put("duplicate_rate", duplicateRate);
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d captions, distinct-1/2/3 %.3f/%.3f/%.3f, mean length %.2f words, duplicates %.3f",
                captions, distinct[0], distinct[1], distinct[2], meanLength, duplicateRate);
    }
}
