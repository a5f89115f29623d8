package org.synthloom.captioners.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-context demonstrations for word-to-caption synthesis (SynCLR), grouped by template family:
 * {@code concept} ({@code c => caption}), {@code background} ({@code c, bg => caption}) and
 * {@code relation} ({@code c, rel => caption}).
 *
 * <p>File format: {@code #} comment lines and blank lines are ignored; a section header
 * {@code [concept]}, {@code [background]} or {@code [relation]} starts a family; each line after
 * it is a demonstration. A demonstration's caption contains its concept, and its background or
 * relation, word for word (case aside), so that the offline transfer can substitute them.
 */
final class Demonstrations {

    static final String CONCEPT = "concept";
    static final String BACKGROUND = "background";
    static final String RELATION = "relation";
    static final List<String> FAMILIES = List.of(CONCEPT, BACKGROUND, RELATION);
    private static final Pattern SECTION = Pattern.compile("^\\[\\s*([a-z]+)\\s*]$");

    /**
     * One demonstration.
     *
     * @param family its template family
     * @param concept the concept it captions
     * @param extra the background or relation, or null in the concept family
     * @param caption the caption
     * @param origin where it was written
     */
    record Demonstration(String family, String concept, String extra, String caption, String origin) {

        /** @return the input side of the demonstration as a prompt shows it: {@code c} or {@code c, extra} */
        String input() {
            return extra == null ? concept : concept + ", " + extra;
        }

        /** @return the demonstration as a prompt line */
        String line() {
            return input() + " => " + caption;
        }
    }

    private final Map<String, List<Demonstration>> byFamily;

    private Demonstrations(Map<String, List<Demonstration>> byFamily) {
        this.byFamily = byFamily;
    }

    /** @return the families that have demonstrations, in the order concept, background, relation */
    List<String> families() {
        return FAMILIES.stream().filter(byFamily::containsKey).toList();
    }

    /** @return the demonstrations of a family */
    List<Demonstration> of(String family) {
        return byFamily.getOrDefault(family, List.of());
    }

    /** @return every demonstration */
    List<Demonstration> all() {
        return byFamily.values().stream().flatMap(Collection::stream).toList();
    }

    /**
     * Reads a demonstration file.
     *
     * @param in the file's bytes
     * @param source the file, for messages
     * @return the demonstrations
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the source and line of a bad line
     */
    static Demonstrations read(InputStream in, String source) throws IOException {
        String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R", -1);
        Map<String, List<Demonstration>> byFamily = new LinkedHashMap<>();
        String family = null;
        for (int n = 1; n <= lines.length; n++) {
            String line = lines[n - 1].strip();
            String where = source + " line " + n;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                if (!FAMILIES.contains(m.group(1))) {
                    throw new IllegalArgumentException(where + ": unknown family [" + m.group(1) + "]; use [concept],"
                            + " [background] or [relation]");
                }
                family = m.group(1);
                byFamily.computeIfAbsent(family, f -> new ArrayList<>());
                continue;
            }
            if (family == null) {
                throw new IllegalArgumentException(where + ": a demonstration before any section; start with [concept],"
                        + " [background] or [relation]");
            }
            byFamily.get(family).add(parse(line, family, where));
        }
        byFamily.values().removeIf(List::isEmpty);
        if (byFamily.isEmpty()) {
            throw new IllegalArgumentException(source + ": no demonstrations");
        }
        return new Demonstrations(byFamily);
    }

    /**
     * Demonstrations given with a request: lines {@code c => caption} (concept family) or
     * {@code c, x => caption} (relation family when {@code x} is one of the known relations, else
     * background).
     *
     * @param lines the request's demonstrations
     * @param relations the known relations
     * @return the demonstrations
     * @throws IllegalArgumentException naming the demonstration that is not in that form
     */
    static Demonstrations of(List<String> lines, List<String> relations) {
        Map<String, List<Demonstration>> byFamily = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = "the request's demonstration " + (i + 1);
            int arrow = line.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException(where + " ('" + line + "') is not 'concept => caption' or"
                        + " 'concept, background or relation => caption'");
            }
            String input = line.substring(0, arrow);
            int comma = input.indexOf(',');
            String family = comma < 0 ? CONCEPT
                    : relations.contains(input.substring(comma + 1).strip().toLowerCase(Locale.ROOT)) ? RELATION : BACKGROUND;
            byFamily.computeIfAbsent(family, f -> new ArrayList<>()).add(parse(line, family, where));
        }
        if (byFamily.isEmpty()) {
            throw new IllegalArgumentException("no demonstrations");
        }
        return new Demonstrations(byFamily);
    }

    private static Demonstration parse(String line, String family, String where) {
        int arrow = line.indexOf("=>");
        if (arrow < 0) {
            throw new IllegalArgumentException(where + ": '" + line + "' is not 'input => caption'");
        }
        String input = line.substring(0, arrow).strip();
        String caption = line.substring(arrow + 2).strip();
        String concept = input;
        String extra = null;
        if (!family.equals(CONCEPT)) {
            int comma = input.indexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException(where + ": a [" + family + "] demonstration is 'concept, " + family
                        + " => caption', not '" + line + "'");
            }
            concept = input.substring(0, comma).strip();
            extra = input.substring(comma + 1).strip();
            if (extra.isEmpty()) {
                throw new IllegalArgumentException(where + ": the " + family + " is empty in '" + line + "'");
            }
        } else if (input.contains(",")) {
            throw new IllegalArgumentException(where + ": a [concept] demonstration is 'concept => caption', without a"
                    + " comma: '" + line + "'");
        }
        if (concept.isEmpty() || caption.isEmpty()) {
            throw new IllegalArgumentException(where + ": the concept or the caption is empty in '" + line + "'");
        }
        if (Transfer.find(caption, concept, 0) < 0) {
            throw new IllegalArgumentException(where + ": the caption does not contain its concept '" + concept
                    + "' word for word, so it cannot be transferred to another concept");
        }
        if (extra != null && Transfer.find(caption, extra, 0) < 0) {
            throw new IllegalArgumentException(where + ": the caption does not contain its " + family + " '" + extra
                    + "' word for word");
        }
        return new Demonstration(family, concept, extra, caption, where);
    }
}
