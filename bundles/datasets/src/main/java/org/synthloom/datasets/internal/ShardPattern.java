package org.synthloom.datasets.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Shard patterns as WebDataset and OpenCLIP write them: brace expansion first ({@code {00000..00009}}
 * ranges, zero-padded when a bound is; {@code {a,b}} alternatives; several braces multiply), then
 * {@code *} and {@code ?} wildcards over the file names of one folder. Wildcards are allowed in
 * the file name only, not in folder names.
 */
final class ShardPattern {

    /** At most this many names come out of brace expansion: a typo must not exhaust memory. */
    static final int MAX_EXPANSION = 1_000_000;

    private ShardPattern() {}

    /** The shards a pattern names: existing files, sorted, and expanded names that do not exist. */
    record Match(List<Path> shards, List<Path> missing) {}

    /**
     * @param pattern e.g. {@code datasets/laion/{00000..00009}.tar}
     * @return the brace expansion of the pattern, in order
     * @throws IllegalArgumentException if a brace is unbalanced, a range is malformed, or the
     *     expansion is too large
     */
    static List<String> expand(String pattern) {
        List<String> out = new ArrayList<>();
        expand(pattern, 0, out);
        return out;
    }

    /** Expands the first brace expression at or after {@code from}; literal braces ({x}) are kept. */
    private static void expand(String pattern, int from, List<String> out) {
        int open = pattern.indexOf('{', from);
        if (open < 0) {
            if (out.size() >= MAX_EXPANSION) {
                throw new IllegalArgumentException("the shard pattern expands to more than " + MAX_EXPANSION + " names");
            }
            out.add(pattern);
            return;
        }
        int depth = 0;
        int close = -1;
        for (int i = open; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw new IllegalArgumentException("unbalanced '{' in the shard pattern '" + pattern + "'");
        }
        String prefix = pattern.substring(0, open);
        String body = pattern.substring(open + 1, close);
        String suffix = pattern.substring(close + 1);
        List<String> alternatives = alternatives(body, pattern);
        if (alternatives == null) {
            expand(pattern, close + 1, out); // not a brace expression: literal, as in bash
            return;
        }
        for (String alternative : alternatives) {
            expand(prefix + alternative + suffix, open, out); // the alternative may hold braces itself
        }
    }

    /** The choices of one brace body: a numeric range a..b, or comma-separated alternatives; null if neither. */
    private static List<String> alternatives(String body, String pattern) {
        int dots = body.indexOf("..");
        if (dots > 0 && body.indexOf(',') < 0 && body.indexOf('{') < 0) {
            String from = body.substring(0, dots);
            String to = body.substring(dots + 2);
            if (!from.matches("\\d{1,18}") || !to.matches("\\d{1,18}")) {
                throw new IllegalArgumentException("the range {" + body + "} in '" + pattern
                        + "' must be {first..last} with non-negative integers");
            }
            long a = Long.parseLong(from);
            long b = Long.parseLong(to);
            boolean padded = from.length() > 1 && from.startsWith("0") || to.length() > 1 && to.startsWith("0");
            int width = padded ? Math.max(from.length(), to.length()) : 0;
            if (Math.abs(b - a) + 1 > MAX_EXPANSION) {
                throw new IllegalArgumentException("the range {" + body + "} has more than " + MAX_EXPANSION + " values");
            }
            List<String> values = new ArrayList<>();
            long step = a <= b ? 1 : -1;
            for (long v = a;; v += step) {
                values.add(width > 0 ? String.format(Locale.ROOT, "%0" + width + "d", v) : Long.toString(v));
                if (v == b) {
                    break;
                }
            }
            return values;
        }
        List<String> values = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                values.add(body.substring(start, i));
                start = i + 1;
            }
        }
        values.add(body.substring(start));
        return values.size() > 1 ? values : null;
    }

    /**
     * Checks a pattern without touching the file system.
     *
     * @param pattern the pattern
     * @throws IllegalArgumentException if it is malformed or has wildcards in a folder name
     */
    static void check(String pattern) {
        for (String expanded : expand(pattern)) {
            wildcardFolder(pattern, Path.of(expanded).getParent());
        }
    }

    private static void wildcardFolder(String pattern, Path folder) {
        if (folder != null && (folder.toString().contains("*") || folder.toString().contains("?"))) {
            throw new IllegalArgumentException("the shard pattern '" + pattern
                    + "' has a wildcard in a folder name; wildcards are supported in the file name only");
        }
    }

    /**
     * Finds the shards of a pattern.
     *
     * @param base the folder relative patterns start from (the data directory)
     * @param pattern the pattern
     * @return the existing shards, sorted by path and without repeats, and the expanded names
     *     (without wildcards) that do not exist
     * @throws IllegalArgumentException if the pattern is malformed or has wildcards in a folder name
     * @throws IOException if a folder cannot be listed
     */
    static Match match(Path base, String pattern) throws IOException {
        TreeSet<Path> found = new TreeSet<>();
        List<Path> missing = new ArrayList<>();
        for (String expanded : expand(pattern)) {
            Path path = base.toAbsolutePath().resolve(expanded).normalize();
            String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
            Path folder = path.getParent();
            wildcardFolder(pattern, folder);
            if (!fileName.contains("*") && !fileName.contains("?")) {
                if (Files.isRegularFile(path)) {
                    found.add(path);
                } else {
                    missing.add(path);
                }
                continue;
            }
            if (folder == null || !Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
                for (Path child : children) {
                    if (wildcard(fileName, child.getFileName().toString()) && Files.isRegularFile(child)) {
                        found.add(child);
                    }
                }
            }
        }
        return new Match(List.copyOf(found), missing);
    }

    /** Matches {@code *} (any run) and {@code ?} (one character); everything else literally. */
    static boolean wildcard(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))
                    && pattern.charAt(p) != '*') {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
