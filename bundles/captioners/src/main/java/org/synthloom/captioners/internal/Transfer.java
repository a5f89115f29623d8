package org.synthloom.captioners.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.synthloom.captioners.internal.Demonstrations.Demonstration;

/**
 * Offline in-context transfer, a stand-in for a language model: a demonstration's caption with
 * the new concept (and background or relation) written in place of the demonstration's, the
 * indefinite article before each substitution made to agree with it. It copies the demonstration's
 * sentence, so its diversity is the demonstration file's and its plausibility is not checked
 * ("a golden retriever moored in a quiet harbour" can happen).
 */
final class Transfer {

    private Transfer() {}

    /**
     * @param demonstration the demonstration to transfer
     * @param concept the new concept's name
     * @param extra the new background or relation (for those families), or null to keep the demonstration's
     * @return the new caption
     */
    static String apply(Demonstration demonstration, String concept, String extra) {
        String caption = demonstration.caption();
        String old = demonstration.concept();
        // Spans found in the original caption and replaced in one pass, so that a replacement is never searched again.
        List<int[]> spans = new ArrayList<>();
        for (int at = find(caption, old, 0); at >= 0; at = find(caption, old, at + old.length())) {
            spans.add(new int[] {at, at + old.length(), 0});
        }
        String oldExtra = demonstration.extra();
        if (extra != null && oldExtra != null) {
            for (int at = find(caption, oldExtra, 0); at >= 0; at = find(caption, oldExtra, at + 1)) {
                int start = at;
                int end = at + oldExtra.length();
                if (spans.stream().noneMatch(s -> s[0] < end && start < s[1])) {
                    spans.add(new int[] {start, end, 1});
                    break;
                }
            }
        }
        spans.sort(Comparator.comparingInt(s -> s[0]));
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int[] span : spans) {
            out.append(caption, from, span[0]);
            String replacement = span[2] == 0 ? concept : extra;
            fixArticle(out, replacement);
            out.append(replacement);
            from = span[1];
        }
        return out.append(caption.substring(from)).toString();
    }

    /** If the text so far ends with "a " or "an ", makes that article agree with what follows. */
    private static void fixArticle(StringBuilder out, String following) {
        int end = out.length();
        int space = end;
        while (space > 0 && Character.isWhitespace(out.charAt(space - 1))) {
            space--;
        }
        if (space == end) {
            return;
        }
        int start = space;
        while (start > 0 && Character.isLetter(out.charAt(start - 1))) {
            start--;
        }
        if (start > 0 && Character.isLetterOrDigit(out.charAt(start - 1))) {
            return;
        }
        String word = out.substring(start, space);
        if (Articles.isArticle(word)) {
            out.replace(start, space, Articles.agree(word, following));
        }
    }

    /**
     * @return the index of the first whole-word, case-insensitive occurrence of the phrase at or
     *     after {@code from}, or -1
     */
    static int find(String text, String phrase, int from) {
        if (phrase.isEmpty()) {
            return -1;
        }
        for (int at = Math.max(0, from); at + phrase.length() <= text.length(); at++) {
            if (text.regionMatches(true, at, phrase, 0, phrase.length())
                    && (at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1)))
                    && (at + phrase.length() == text.length() || !Character.isLetterOrDigit(text.charAt(at + phrase.length())))) {
                return at;
            }
        }
        return -1;
    }
}
