package org.synthloom.datasets.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Sample ids from names and paths. Sample ids allow letters, digits, {@code . _ -} and must not
 * start with a dot; these ids also avoid the dot, because a WebDataset key ends at the first dot
 * of a member name ({@code a.jpg.png} would be key {@code a}).
 */
final class Ids {

    private Ids() {}

    /**
     * @param text any text (a relative path, a dataset name)
     * @return the text with every character other than letters, digits, {@code _} and {@code -}
     *     replaced by {@code _}; {@code _} if empty
     */
    static String sanitize(String text) {
        StringBuilder id = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            id.append(allowed ? c : '_');
        }
        return id.length() == 0 ? "_" : id.toString();
    }

    /** Hands out ids that are unique among those it has handed out: a clash gets -2, -3, ... */
    static final class Unique {
        private final Set<String> used = new HashSet<>();

        /**
         * @param wanted the sanitised id wanted
         * @return {@code wanted}, or {@code wanted-N} with the smallest N >= 2 not yet used
         */
        String claim(String wanted) {
            if (used.add(wanted)) {
                return wanted;
            }
            for (int n = 2;; n++) {
                String candidate = wanted + "-" + n;
                if (used.add(candidate)) {
                    return candidate;
                }
            }
        }
    }
}
