package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokenisation pycocoevalcap applies before BLEU and CIDEr-D: Stanford's PTBTokenizer with
 * {@code -lowerCase}, then the tokens of its punctuation list ({@code '' ' `` ` -LRB- -RRB- -LCB-
 * -RCB- . ? ! , : - -- ... ;}) removed. PTBTokenizer itself (CoreNLP, GPL) is not used; this
 * reproduces what it does to captions:
 *
 * <ul>
 *   <li>lower case;
 *   <li>{@code , ; : ? ! "} and brackets separate tokens and are dropped, except a comma or colon
 *       between digits ({@code 1,000}, {@code 10:30});
 *   <li>{@code --} and {@code ...} separate tokens and are dropped;
 *   <li>a word keeps inner hyphens and periods ({@code t-shirt}, {@code 3.5}) and loses a
 *       trailing period, leading or trailing quotes and hyphens;
 *   <li>the clitics {@code 's 're 've 'll 'd 'm n't} become their own tokens, as PTB splits them
 *       ({@code dog's} -> {@code dog 's}, {@code don't} -> {@code do n't}).
 * </ul>
 *
 * Known difference: PTB turns square brackets into {@code -LSB-}/{@code -RSB-} tokens, which
 * pycocoevalcap's list does not remove; here they are dropped like the other brackets.
 */
final class CocoTokenizer {

    private static final String SEPARATORS = ",;:?!\"()[]{}";
    private static final String EDGES = ".'`-";
    private static final String[] CLITICS = {"n't", "'s", "'re", "'ve", "'ll", "'d", "'m"};

    private CocoTokenizer() {}

    /**
     * @param text a caption
     * @return its tokens, lower case, without punctuation
     */
    static List<String> tokenize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder spaced = new StringBuilder(lower.length() + 8);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean betweenDigits = (c == ',' || c == ':') && i > 0 && i + 1 < lower.length()
                    && Character.isDigit(lower.charAt(i - 1)) && Character.isDigit(lower.charAt(i + 1));
            spaced.append(SEPARATORS.indexOf(c) >= 0 && !betweenDigits ? ' ' : c);
        }
        List<String> tokens = new ArrayList<>();
        for (String word : spaced.toString().replace("--", " ").replace("...", " ").trim().split("\\s+")) {
            addWord(word, tokens);
        }
        return tokens;
    }

    private static void addWord(String word, List<String> tokens) {
        for (String clitic : CLITICS) {
            if (word.equals(clitic)) {
                tokens.add(word);
                return;
            }
        }
        String stem = strip(word);
        for (String clitic : CLITICS) {
            if (stem.length() > clitic.length() && stem.endsWith(clitic)) {
                String head = strip(stem.substring(0, stem.length() - clitic.length()));
                if (!head.isEmpty()) {
                    tokens.add(head);
                }
                tokens.add(clitic);
                return;
            }
        }
        if (!stem.isEmpty()) {
            tokens.add(stem);
        }
    }

    /** Removes leading and trailing periods, quotes and hyphens. */
    private static String strip(String word) {
        int start = 0;
        int end = word.length();
        while (start < end && EDGES.indexOf(word.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && EDGES.indexOf(word.charAt(end - 1)) >= 0) {
            end--;
        }
        return word.substring(start, end);
    }
}
