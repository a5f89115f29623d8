package org.synthloom.captioners.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the captions out of a language model's answer: a numbered or bulleted list, one caption a
 * line, perhaps with a preamble ("Here are 5 captions:") and quotes or bold around the items.
 */
final class ListParser {

    /** "1." "2)" "(3)" "4:" "5 -" "- " "* " "• " at the start of a line. */
    private static final Pattern MARKER = Pattern.compile(
            "^(?:\\(?\\d{1,3}\\s*[.):\\]]|\\d{1,3}\\s+-|[-*\\u2022\\u2023\\u25e6\\u25aa\\u2013\\u2014])\\s*");
    private static final String QUOTES = "\"'\u201c\u201d\u2018\u2019`";

    private ListParser() {}

    /**
     * @param answer the model's text
     * @param truncated true if the answer was cut at the token limit: its last item is then dropped,
     *     as it may be cut mid-sentence
     * @return the captions, in order, none empty
     */
    static List<String> parse(String answer, boolean truncated) {
        List<String> marked = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (String raw : answer.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = MARKER.matcher(line);
            if (m.find() && m.end() < line.length()) {
                String item = clean(line.substring(m.end()));
                if (!item.isEmpty()) {
                    marked.add(item);
                }
            } else if (!line.endsWith(":")) {
                String item = clean(line);
                if (!item.isEmpty()) {
                    plain.add(item);
                }
            }
        }
        // With a list in the answer, unmarked lines are the model talking about it.
        List<String> items = marked.isEmpty() ? plain : marked;
        if (truncated && !items.isEmpty()) {
            items.remove(items.size() - 1);
        }
        return items;
    }

    /** Strips markdown emphasis and surrounding quotes. */
    static String clean(String item) {
        String s = item.strip();
        boolean changed = true;
        while (changed && !s.isEmpty()) {
            changed = false;
            for (String emphasis : new String[] {"**", "__"}) {
                if (s.length() > 2 * emphasis.length() && s.startsWith(emphasis) && s.endsWith(emphasis)) {
                    s = s.substring(emphasis.length(), s.length() - emphasis.length()).strip();
                    changed = true;
                }
            }
            if (s.length() >= 2 && QUOTES.indexOf(s.charAt(0)) >= 0 && QUOTES.indexOf(s.charAt(s.length() - 1)) >= 0) {
                s = s.substring(1, s.length() - 1).strip();
                changed = true;
            }
        }
        return s;
    }
}
