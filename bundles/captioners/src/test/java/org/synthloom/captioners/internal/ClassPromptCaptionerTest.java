package org.synthloom.captioners.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.pipeline.stats.CaptionStats;
import org.synthloom.testkit.Configs;

class ClassPromptCaptionerTest {

    @TempDir
    Path home;

    private ClassPromptCaptioner captioner(Map<String, ?> properties) {
        return new ClassPromptCaptioner("1.2.3", home, Configs.of(ClassPromptConfig.class, properties));
    }

    private static List<String> texts(List<GeneratedCaption> captions) {
        return captions.stream().map(c -> c.caption().text()).toList();
    }

    private static CaptionRequest request(int perConcept, long seed, String... concepts) {
        return new CaptionRequest(java.util.Arrays.stream(concepts).map(Concept::of).toList(), perConcept, seed, List.of());
    }

    @Test
    void returnsExactlyTheCountAskedForGroupedByConceptInRequestOrder() {
        List<GeneratedCaption> captions = captioner(Map.of()).generate(request(7, 42, "red circle", "apple", "blue star"));
        assertEquals(21, captions.size());
        String[] order = {"red circle", "apple", "blue star"};
        for (int i = 0; i < 21; i++) {
            GeneratedCaption c = captions.get(i);
            assertEquals(order[i / 7], c.concept().name());
            assertTrue(c.caption().text().contains(order[i / 7]), c.caption().text());
            assertEquals("class-prompt", c.caption().provenance().source());
            assertEquals("1.2.3", c.caption().provenance().sourceVersion());
            assertEquals(42L, c.caption().provenance().seed().getAsLong());
        }
    }

    @Test
    void isDeterministicForASeedAndVariesWithIt() {
        ClassPromptCaptioner a = captioner(Map.of());
        ClassPromptCaptioner b = captioner(Map.of());
        assertEquals(a.generate(request(10, 7, "dog", "owl")), b.generate(request(10, 7, "dog", "owl")));
        assertNotEquals(texts(a.generate(request(10, 7, "dog"))), texts(a.generate(request(10, 8, "dog"))));
    }

    @Test
    void theDefaultGrammarGivesDistinctCaptionsWithinAConcept() {
        List<String> texts = texts(captioner(Map.of()).generate(request(40, 3, "dog")));
        assertEquals(40, new HashSet<>(texts).size());
    }

    @Test
    void deDuplicationRetriesUpToItsBoundThenAllowsRepeats() {
        Map<String, Object> small = new HashMap<>();
        small.put("templates", new String[] {"{article} {size} {concept}"});
        small.put("slots", new String[] {"size = small | large | huge"});
        // 3 combinations: 3 captions are all different with de-duplication ...
        List<String> three = texts(captioner(small).generate(request(3, 11, "dog")));
        assertEquals(3, new HashSet<>(three).size(), three.toString());
        // ... 6 captions must repeat, and still come back 6
        List<String> six = texts(captioner(small).generate(request(6, 11, "dog")));
        assertEquals(6, six.size());
        assertEquals(new HashSet<>(List.of("a small dog", "a large dog", "a huge dog")), new HashSet<>(six));
        // without de-duplication, 3 draws from 3 weighted values repeat for some seed among a few
        small.put("deduplicate", false);
        boolean repeated = false;
        for (long seed = 0; seed < 10 && !repeated; seed++) {
            repeated = new HashSet<>(texts(captioner(small).generate(request(3, seed, "dog")))).size() < 3;
        }
        assertTrue(repeated, "without de-duplication some seed repeats a caption");
    }

    @Test
    void temperatureZeroAlwaysTakesTheMostLikelyEntries() {
        List<String> texts = texts(captioner(Map.of("temperature", 0.0, "deduplicate", false))
                .generate(request(5, 1, "apple")));
        // the first template and first entries have the largest weights
        assertEquals(List.of("a photo of an apple", "a photo of an apple", "a photo of an apple", "a photo of an apple",
                "a photo of an apple"), texts);
    }

    @Test
    void higherTemperatureGivesMoreDiverseCaptions() {
        // 10 concepts x 10 captions without de-duplication, averaged over 5 seeds. A much larger set
        // saturates distinct-n: the default grammar has only so many bigrams.
        String[] concepts = new String[10];
        for (int i = 0; i < concepts.length; i++) {
            concepts[i] = "thing" + i;
        }
        double[] temperatures = {0.25, 1.0, 3.0};
        double[][] measured = new double[temperatures.length][3];
        for (int t = 0; t < temperatures.length; t++) {
            ClassPromptCaptioner c = captioner(Map.of("temperature", temperatures[t], "deduplicate", false));
            for (long seed = 1; seed <= 5; seed++) {
                CaptionStats stats = CaptionStats.of(c.generate(request(10, seed, concepts)));
                measured[t][0] += stats.distinct2() / 5;
                measured[t][1] += stats.distinct3() / 5;
                measured[t][2] += stats.duplicateRate() / 5;
            }
            System.out.printf("class-prompt at temperature %.2f: distinct-2 %.3f, distinct-3 %.3f, duplicate rate %.3f%n",
                    temperatures[t], measured[t][0], measured[t][1], measured[t][2]);
        }
        assertTrue(measured[1][0] > measured[0][0] + 0.08, "distinct-2, T=1 vs T=0.25: " + measured[1][0] + " vs " + measured[0][0]);
        assertTrue(measured[1][1] > measured[0][1] + 0.15, "distinct-3, T=1 vs T=0.25: " + measured[1][1] + " vs " + measured[0][1]);
        assertTrue(measured[2][1] > measured[1][1] + 0.03, "distinct-3, T=3 vs T=1: " + measured[2][1] + " vs " + measured[1][1]);
        assertTrue(measured[2][2] < measured[1][2] && measured[1][2] < measured[0][2] - 0.2, "duplicate rates fall with T: "
                + java.util.Arrays.toString(new double[] {measured[0][2], measured[1][2], measured[2][2]}));
    }

    @Test
    void conceptAttributesFillTheirSlotsAndUnlockTemplatesThatNeedThem() {
        Map<String, Object> p = new HashMap<>();
        p.put("templates", new String[] {"{article} {concept} on {background} *1", "{article} {concept}, a kind of {concept.category} *1"});
        p.put("slots", new String[] {"background = the grass | a table"});
        ClassPromptCaptioner c = captioner(p);
        List<String> plain = texts(c.generate(request(20, 2, "owl")));
        assertTrue(plain.stream().noneMatch(t -> t.contains("kind of")), plain.toString());
        Concept withAttributes = new Concept("owl", Map.of("category", "bird", "background", "a snowy branch"));
        List<String> rich = texts(c.generate(new CaptionRequest(List.of(withAttributes), 20, 2, List.of())));
        assertTrue(rich.contains("an owl, a kind of bird"), rich.toString());
        assertTrue(rich.contains("an owl on a snowy branch"), rich.toString());
        assertTrue(rich.stream().allMatch(t -> t.equals("an owl, a kind of bird") || t.equals("an owl on a snowy branch")),
                rich.toString());
    }

    @Test
    void everyArticleAgreesWithTheWordAfterIt() {
        List<String> texts = texts(captioner(Map.of("temperature", 3.0)).generate(request(60, 9, "apple", "umbrella", "dog")));
        for (String text : texts) {
            List<String> words = CaptionStats.words(text);
            for (int i = 0; i + 1 < words.size(); i++) {
                if (words.get(i).equals("a") || words.get(i).equals("an")) {
                    assertEquals(Articles.indefinite(words.get(i + 1)), words.get(i), text);
                }
            }
        }
        assertTrue(texts.stream().anyMatch(t -> t.contains("an apple")));
        assertTrue(texts.stream().anyMatch(t -> t.contains("a dog")));
    }

    @Test
    void aGrammarFileReplacesTheListsItNames() throws IOException {
        Path file = home.resolve("grammar.txt");
        Files.writeString(file, String.join("\n",
                "# a grammar for tests",
                "[templates]",
                "{article} {colour} {concept} *3",
                "{article} {concept} near {article} {object} *1",
                "",
                "[slot colour]",
                "orange",
                "green"), StandardCharsets.UTF_8);
        ClassPromptCaptioner c = captioner(Map.of("grammar.file", "grammar.txt"));
        List<String> texts = texts(c.generate(request(30, 4, "egg")));
        for (String t : texts) {
            // the file's templates; {object} keeps the configured vocabulary
            assertTrue(t.matches("(an orange|a green) egg|an egg near an? \\w+"), t);
        }
        assertTrue(texts.contains("an orange egg"));
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("an egg near")));
    }

    private String fileError(String... lines) throws IOException {
        Path file = home.resolve("bad.txt");
        Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
        return assertThrows(IllegalArgumentException.class, () -> captioner(Map.of("grammar.file", file.toString())))
                .getMessage();
    }

    @Test
    void grammarFileErrorsNameTheFileAndLine() throws IOException {
        String m = fileError("[templates]", "{article} {concept}", "[colours]", "red");
        assertTrue(m.startsWith(ClassPromptCaptioner.PID + ": grammar.file "), m);
        assertTrue(m.contains("bad.txt line 3"), m);
        assertTrue(m.contains("[templates] or [slot NAME]"), m);

        m = fileError("# comment", "{article} {concept}");
        assertTrue(m.contains("line 2") && m.contains("before any section"), m);

        m = fileError("[templates]", "{article} {concept} *2", "a photo of {concept}");
        assertTrue(m.contains("line 3") && m.contains("weigh every entry"), m);

        m = fileError("[templates]", "{article} {concept} *-1");
        assertTrue(m.contains("line 2") && m.contains("not with a number"), m);

        m = fileError("[templates]", "{article} {concept} *0");
        assertTrue(m.contains("line 2") && m.contains("positive"), m);

        m = fileError("[templates]", "", "a photo of a cat");
        assertTrue(m.contains("line 3") && m.contains("{concept}"), m);

        m = fileError("[templates]", "{article} {shade} {concept}");
        assertTrue(m.contains("line 2") && m.contains("{shade}") && m.contains("no vocabulary"), m);

        m = fileError("[templates]", "{article} {Size} {concept}");
        assertTrue(m.contains("line 2") && m.contains("{Size}"), m);

        m = fileError("[slot size]", "big", "[slot size]", "small");
        assertTrue(m.contains("line 3") && m.contains("second time") && m.contains("line 1"), m);

        m = fileError("[templates]", "{article} {concept}", "[slot size]", "# nothing");
        assertTrue(m.contains("line 3") && m.contains("no entries"), m);

        m = fileError("[templates]", "a {concept} with {unclosed");
        assertTrue(m.contains("line 2") && m.contains("brace"), m);

        String missing = assertThrows(IllegalArgumentException.class,
                () -> captioner(Map.of("grammar.file", "nowhere.txt"))).getMessage();
        assertTrue(missing.contains("nowhere.txt") && missing.contains("cannot be read"), missing);
    }

    @Test
    void configurationErrorsNameThePidThePropertyAndTheValue() {
        String m = assertThrows(IllegalArgumentException.class, () -> captioner(Map.of("temperature", -1.0))).getMessage();
        assertTrue(m.contains(ClassPromptCaptioner.PID) && m.contains("temperature") && m.contains("-1.0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> captioner(Map.of("slots", new String[] {"size"})))
                .getMessage();
        assertTrue(m.contains("property 'slots', entry 1") && m.contains("'size'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> captioner(Map.of("templates",
                new String[] {"{concept}, a kind of {concept.category}"}))).getMessage();
        assertTrue(m.contains("every template needs a concept attribute"), m);
    }

    @Test
    void temperatureFlattensTheSamplingDistributionAsDocumented() {
        // weights 1, 1/2, 1/3 (an unweighted list of three): at T=1 the first is drawn 6/11 of the time
        double[] log = {Math.log(1), Math.log(0.5), Math.log(1.0 / 3)};
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        int[] counts = new int[3];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts[Grammar.choose(log, 1.0, random)]++;
        }
        assertEquals(6.0 / 11, counts[0] / (double) n, 0.005);
        assertEquals(3.0 / 11, counts[1] / (double) n, 0.005);
        // T=2: weights^(1/2) = 1, 0.707, 0.577
        counts = new int[3];
        for (int i = 0; i < n; i++) {
            counts[Grammar.choose(log, 2.0, random)]++;
        }
        double z = 1 + Math.sqrt(0.5) + Math.sqrt(1.0 / 3);
        assertEquals(1 / z, counts[0] / (double) n, 0.005);
        List<Integer> zero = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            zero.add(Grammar.choose(log, 0.0, random));
        }
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), zero);
    }
}
