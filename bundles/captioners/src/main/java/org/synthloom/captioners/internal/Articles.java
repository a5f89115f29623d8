package org.synthloom.captioners.internal;

import java.util.Locale;

/**
 * English indefinite articles: "a" or "an" for the word that follows, by its sound as far as
 * spelling shows it. A vowel letter takes "an" except where it sounds like a consonant
 * ("a unicorn", "a one-way street", "a European"); a silent h takes "an" ("an hour"); a number
 * takes "an" when read with a vowel first ("an 8", "an 11", "an 18"); a lone letter takes "an"
 * when its name starts with a vowel sound ("an x", "an x-ray", "an f").
 */
final class Articles {

    private static final String[] SILENT_H = {"hour", "honest", "honou", "honor", "heir"};
    private static final String[] CONSONANT_VOWEL = {"uni", "use", "usu", "uti", "ura", "ure", "uro", "eu", "ewe",
        "one", "once", "ubiq", "uk", "ufo", "ute"};
    /** Words beginning with "uni" that say "un-" (an uninvited guest): the prefix un- before n, m, d. */
    private static final String[] UN_PREFIX = {"unin", "unim", "unid"};
    private static final String VOWEL_LETTERS = "aefhilmnorsx";

    private Articles() {}

    /**
     * @param following the text that follows the article (its first word decides)
     * @return "a" or "an"
     */
    static String indefinite(String following) {
        String word = firstWord(following);
        if (word.isEmpty()) {
            return "a";
        }
        char c = word.charAt(0);
        if (Character.isDigit(c)) {
            return numberTakesAn(word) ? "an" : "a";
        }
        if (word.length() == 1 || word.charAt(1) == '-') {
            return VOWEL_LETTERS.indexOf(c) >= 0 ? "an" : "a";
        }
        for (String prefix : SILENT_H) {
            if (word.startsWith(prefix)) {
                return "an";
            }
        }
        for (String prefix : UN_PREFIX) {
            if (word.startsWith(prefix)) {
                return "an";
            }
        }
        for (String prefix : CONSONANT_VOWEL) {
            if (word.startsWith(prefix)) {
                return "a";
            }
        }
        return "aeiou".indexOf(c) >= 0 ? "an" : "a";
    }

    /**
     * @param article "a" or "an" in any case
     * @param following the text that follows it
     * @return the article that agrees with the text, in the case of the given one ("A" stays capital)
     */
    static String agree(String article, String following) {
        String right = indefinite(following);
        return Character.isUpperCase(article.charAt(0)) ? Character.toUpperCase(right.charAt(0)) + right.substring(1) : right;
    }

    /** @return true if the word is "a" or "an" in any case */
    static boolean isArticle(String word) {
        return word.equalsIgnoreCase("a") || word.equalsIgnoreCase("an");
    }

    private static String firstWord(String text) {
        int start = 0;
        while (start < text.length() && !Character.isLetterOrDigit(text.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '-')) {
            end++;
        }
        return text.substring(start, end).toLowerCase(Locale.ROOT);
    }

    /** Eight, eleven and eighteen (and their thousands: eleven thousand) start with a vowel sound. */
    private static boolean numberTakesAn(String word) {
        int digits = 0;
        while (digits < word.length() && Character.isDigit(word.charAt(digits))) {
            digits++;
        }
        if (word.charAt(0) == '8') {
            return true;
        }
        return digits % 3 == 2 && (word.startsWith("11") || word.startsWith("18"));
    }
}
