package org.synthloom.captioners.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.synthloom.api.generate.Concept;

/**
 * The templates and slot vocabularies of the {@code class-prompt} generator, each entry with a
 * weight, and the sampling of captions from them.
 *
 * <p>Slots in a template: {@code {concept}} is the concept's name; {@code {article}} is "a" or
 * "an", agreeing with the word that follows it once every slot is filled; {@code {NAME}} is the
 * concept's attribute {@code NAME} when it has one, else a draw from the vocabulary {@code NAME}
 * (which must exist); {@code {concept.NAME}} is the concept's attribute {@code NAME}, and a template
 * that uses it serves only concepts that have that attribute.
 *
 * <p>An entry is its text, optionally followed by {@code *weight} (a positive number). A list either
 * weighs every entry or none; an unweighted list is ranked by its order, the k-th entry (from 1)
 * weighing 1/k, so its first entry is the most likely.
 */
final class Grammar {

    static final String TEMPLATES = "templates";
    private static final Pattern SLOT = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern SLOT_NAME = Pattern.compile("concept|article|concept\\.[a-z_][a-z0-9_]*|[a-z_][a-z0-9_]*");
    private static final Pattern WEIGHT = Pattern.compile("^(.*?)\\s+\\*\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*$");
    private static final Pattern SECTION = Pattern.compile("^\\[\\s*(templates|slot\\s+(\\S+))\\s*]$");
    private static final Pattern VOCABULARY_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    /** Stands for an {article} until the words after it are known. */
    private static final char ARTICLE = '\uE000';

    /** One entry of a list, with where it was written (for error messages). */
    record Entry(String text, Double weight, String origin) {}

    /** A weighted list: templates or a slot's vocabulary. */
    static final class Choices {
        final List<Entry> entries;
        final double[] logWeights;
        final String name;

        Choices(String name, List<Entry> entries) {
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("the list " + name + " has no entries");
            }
            long weighted = entries.stream().filter(e -> e.weight() != null).count();
            if (weighted != 0 && weighted != entries.size()) {
                Entry bare = entries.stream().filter(e -> e.weight() == null).findFirst().orElseThrow();
                throw new IllegalArgumentException(bare.origin() + ": '" + bare.text() + "' has no *weight while other entries of "
                        + name + " have one; weigh every entry of a list or none");
            }
            this.name = name;
            this.entries = List.copyOf(entries);
            this.logWeights = new double[entries.size()];
            for (int i = 0; i < entries.size(); i++) {
                Double w = entries.get(i).weight();
                logWeights[i] = Math.log(w != null ? w : 1.0 / (i + 1));
            }
        }

        String text(int i) {
            return entries.get(i).text();
        }

        int size() {
            return entries.size();
        }
    }

    final Choices templates;
    final Map<String, Choices> vocabularies;

    private Grammar(Choices templates, Map<String, Choices> vocabularies) {
        this.templates = templates;
        this.vocabularies = Collections.unmodifiableMap(vocabularies);
    }

    /**
     * Builds the grammar from the component's configuration, then lets a grammar file replace
     * whole lists, and checks that it can work.
     *
     * @param templates the {@code templates} property
     * @param slots the {@code slots} property: {@code name = entry | entry | ...}
     * @param file the grammar file, or null
     * @return the grammar
     * @throws IllegalArgumentException naming the property entry or file line that is wrong
     */
    static Grammar build(String[] templates, String[] slots, Path file) {
        Map<String, List<Entry>> lists = new LinkedHashMap<>();
        List<Entry> t = new ArrayList<>();
        for (int i = 0; i < templates.length; i++) {
            t.add(entry(templates[i], "property 'templates', entry " + (i + 1)));
        }
        lists.put(TEMPLATES, t);
        for (int i = 0; i < slots.length; i++) {
            String origin = "property 'slots', entry " + (i + 1);
            int eq = slots[i].indexOf('=');
            String name = eq < 0 ? "" : slots[i].substring(0, eq).trim();
            if (!VOCABULARY_NAME.matcher(name).matches() || name.equals("concept") || name.equals("article")) {
                throw new IllegalArgumentException(origin + ": '" + slots[i] + "' is not name = entry | entry | ... with a"
                        + " lower-case name other than concept and article");
            }
            List<Entry> values = new ArrayList<>();
            for (String value : slots[i].substring(eq + 1).split("\\|")) {
                values.add(entry(value, origin));
            }
            lists.put(name, values);
        }
        if (file != null) {
            lists.putAll(parseFile(file));
        }
        Map<String, Choices> vocabularies = new LinkedHashMap<>();
        lists.forEach((name, entries) -> {
            if (!name.equals(TEMPLATES)) {
                vocabularies.put(name, new Choices("[slot " + name + "]", entries));
            }
        });
        Grammar grammar = new Grammar(new Choices("[templates]", lists.get(TEMPLATES)), vocabularies);
        grammar.check();
        return grammar;
    }

    /**
     * Reads a grammar file: {@code [templates]} and {@code [slot NAME]} sections, one entry a line,
     * {@code #} comment lines, blank lines ignored.
     */
    static Map<String, List<Entry>> parseFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("the grammar file " + file + " cannot be read: " + e, e);
        }
        return parse(lines, "grammar.file " + file);
    }

    /** Parses grammar text; errors name {@code source line N}. */
    static Map<String, List<Entry>> parse(List<String> lines, String source) {
        Map<String, List<Entry>> lists = new LinkedHashMap<>();
        Map<String, Integer> headers = new LinkedHashMap<>();
        List<Entry> current = null;
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            String where = source + " line " + n;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                Matcher m = SECTION.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException(where + ": '" + line + "' is not a section header; write [templates]"
                            + " or [slot NAME]");
                }
                String name = m.group(2) == null ? TEMPLATES : m.group(2);
                if (m.group(2) != null && (!VOCABULARY_NAME.matcher(name).matches() || name.equals("concept")
                        || name.equals("article"))) {
                    throw new IllegalArgumentException(where + ": '" + name + "' cannot name a slot; use lower-case letters,"
                            + " digits and _, and not concept or article");
                }
                if (headers.containsKey(name)) {
                    throw new IllegalArgumentException(where + ": " + line + " appears a second time (first at line "
                            + headers.get(name) + ")");
                }
                headers.put(name, n);
                current = new ArrayList<>();
                lists.put(name, current);
                continue;
            }
            if (current == null) {
                throw new IllegalArgumentException(where + ": '" + line + "' comes before any section; start the list with"
                        + " [templates] or [slot NAME]");
            }
            current.add(entry(line, where));
        }
        for (Map.Entry<String, List<Entry>> list : lists.entrySet()) {
            if (list.getValue().isEmpty()) {
                throw new IllegalArgumentException(source + " line " + headers.get(list.getKey()) + ": the section has no entries");
            }
        }
        return lists;
    }

    private static Entry entry(String raw, String origin) {
        String text = raw.strip();
        Double weight = null;
        Matcher m = WEIGHT.matcher(text);
        if (m.matches()) {
            text = m.group(1).strip();
            weight = Double.valueOf(m.group(2));
            if (!(weight > 0) || weight.isInfinite()) {
                throw new IllegalArgumentException(origin + ": the weight of '" + text + "' must be a positive number, not "
                        + m.group(2));
            }
        } else if (text.matches(".*\\s\\*\\s*\\S+$")) {
            throw new IllegalArgumentException(origin + ": '" + text + "' ends in '*' but not with a number as weight");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(origin + ": an empty entry");
        }
        Matcher slot = SLOT.matcher(text);
        while (slot.find()) {
            if (!SLOT_NAME.matcher(slot.group(1)).matches()) {
                throw new IllegalArgumentException(origin + ": '{" + slot.group(1) + "}' is not a slot; slots are {concept},"
                        + " {article}, {name} or {concept.name} with lower-case names");
            }
        }
        String outside = SLOT.matcher(text).replaceAll("");
        if (outside.indexOf('{') >= 0 || outside.indexOf('}') >= 0) {
            throw new IllegalArgumentException(origin + ": '" + text + "' has an unmatched brace");
        }
        return new Entry(text, weight, origin);
    }

    /** Every template names the concept, every plain slot has a vocabulary, some template needs no attribute. */
    private void check() {
        boolean someUnconditional = false;
        for (Entry template : templates.entries) {
            boolean unconditional = true;
            boolean concept = false;
            Matcher m = SLOT.matcher(template.text());
            while (m.find()) {
                String slot = m.group(1);
                if (slot.equals("concept")) {
                    concept = true;
                } else if (slot.startsWith("concept.")) {
                    unconditional = false;
                } else if (!slot.equals("article") && !vocabularies.containsKey(slot)) {
                    throw new IllegalArgumentException(template.origin() + ": the template '" + template.text() + "' uses {"
                            + slot + "}, which has no vocabulary (add [slot " + slot + "], or write {concept." + slot
                            + "} to use it only for concepts with that attribute)");
                }
            }
            if (!concept) {
                throw new IllegalArgumentException(template.origin() + ": the template '" + template.text()
                        + "' does not name the {concept}");
            }
            someUnconditional |= unconditional;
        }
        if (!someUnconditional) {
            throw new IllegalArgumentException("every template needs a concept attribute ({concept.NAME}); add one that"
                    + " concepts without attributes can use");
        }
    }

    /**
     * @param concept a concept
     * @return the indices of the templates the concept can fill
     */
    int[] templatesFor(Concept concept) {
        int[] eligible = new int[templates.size()];
        int count = 0;
        for (int i = 0; i < templates.size(); i++) {
            boolean ok = true;
            Matcher m = SLOT.matcher(templates.text(i));
            while (m.find() && ok) {
                String slot = m.group(1);
                ok = !slot.startsWith("concept.") || concept.attributes().containsKey(slot.substring("concept.".length()));
            }
            if (ok) {
                eligible[count++] = i;
            }
        }
        return java.util.Arrays.copyOf(eligible, count);
    }

    /**
     * Draws one caption.
     *
     * @param concept the concept
     * @param eligible the templates it can fill ({@link #templatesFor})
     * @param temperature 0 picks the most likely entry of every list; 1 samples by the weights;
     *     higher flattens towards uniform
     * @param random the concept's random stream
     * @return the caption
     */
    String draw(Concept concept, int[] eligible, double temperature, SplittableRandom random) {
        double[] logWeights = new double[eligible.length];
        for (int i = 0; i < eligible.length; i++) {
            logWeights[i] = templates.logWeights[eligible[i]];
        }
        String template = templates.text(eligible[choose(logWeights, temperature, random)]);
        Matcher m = SLOT.matcher(template);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            String slot = m.group(1);
            String value;
            if (slot.equals("concept")) {
                value = concept.name();
            } else if (slot.equals("article")) {
                value = String.valueOf(ARTICLE);
            } else if (slot.startsWith("concept.")) {
                value = concept.attributes().get(slot.substring("concept.".length()));
            } else if (concept.attributes().containsKey(slot)) {
                value = concept.attributes().get(slot);
            } else {
                Choices vocabulary = vocabularies.get(slot);
                value = vocabulary.text(choose(vocabulary.logWeights, temperature, random));
            }
            m.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        m.appendTail(text);
        return resolveArticles(text.toString()).replaceAll("\\s+", " ").strip();
    }

    private static String resolveArticles(String text) {
        StringBuilder out = new StringBuilder(text);
        for (int i = out.indexOf(String.valueOf(ARTICLE)); i >= 0; i = out.indexOf(String.valueOf(ARTICLE))) {
            out.replace(i, i + 1, Articles.indefinite(out.substring(i + 1)));
        }
        return out.toString();
    }

    /**
     * Samples an index with probability proportional to {@code weight^(1/temperature)}; at
     * temperature 0 the largest weight (the first of equals).
     */
    static int choose(double[] logWeights, double temperature, SplittableRandom random) {
        int best = 0;
        for (int i = 1; i < logWeights.length; i++) {
            if (logWeights[i] > logWeights[best]) {
                best = i;
            }
        }
        if (temperature == 0 || logWeights.length == 1) {
            return best;
        }
        double[] cumulative = new double[logWeights.length];
        double sum = 0;
        for (int i = 0; i < logWeights.length; i++) {
            sum += Math.exp((logWeights[i] - logWeights[best]) / temperature);
            cumulative[i] = sum;
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }
}
