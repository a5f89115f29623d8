package org.synthloom.captioners.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.captioners.internal.Demonstrations.Demonstration;
import org.synthloom.captioners.internal.FakeChatServer.Received;
import org.synthloom.captioners.internal.FakeChatServer.Reply;
import org.synthloom.testkit.Configs;

class InContextCaptionerTest {

    @TempDir
    Path home;

    private InContextCaptioner captioner(Map<String, ?> properties) {
        return new InContextCaptioner("2.0.0", home, Configs.of(InContextConfig.class, properties));
    }

    private static CaptionRequest request(int perConcept, long seed, String... concepts) {
        return new CaptionRequest(Stream.of(concepts).map(Concept::of).toList(), perConcept, seed, List.of());
    }

    private static List<String> texts(List<GeneratedCaption> captions) {
        return captions.stream().map(c -> c.caption().text()).toList();
    }

    private static Demonstrations bundled() throws IOException {
        try (InputStream in = InContextCaptioner.class.getResourceAsStream(InContextCaptioner.DEFAULT_FILE)) {
            return Demonstrations.read(in, "bundled");
        }
    }

    @Test
    void theBundledFileHasSixtyDemonstrationsInThreeFamilies() throws IOException {
        Demonstrations d = bundled();
        assertEquals(List.of("concept", "background", "relation"), d.families());
        assertEquals(20, d.of("concept").size());
        assertEquals(20, d.of("background").size());
        assertEquals(20, d.of("relation").size());
    }

    @Test
    void offlineItIsDeterministicCountsRightAndNamesEveryConcept() throws Exception {
        InContextCaptioner c = captioner(Map.of());
        List<GeneratedCaption> captions = c.generate(request(12, 5, "golden retriever", "harp"));
        assertEquals(24, captions.size());
        for (int i = 0; i < 24; i++) {
            String concept = i < 12 ? "golden retriever" : "harp";
            assertEquals(concept, captions.get(i).concept().name());
            assertTrue(captions.get(i).caption().text().contains(concept), captions.get(i).caption().text());
            assertEquals("in-context", captions.get(i).caption().provenance().source());
        }
        assertEquals(12, new HashSet<>(texts(captions).subList(0, 12)).size());
        assertEquals(captions, captioner(Map.of()).generate(request(12, 5, "golden retriever", "harp")));
        assertNotEquals(texts(captions), texts(c.generate(request(12, 6, "golden retriever", "harp"))));
    }

    @Test
    void offlineTransferSubstitutesTheConceptAndItsExtraWithArticleAgreement() {
        Demonstration relation = new Demonstration("relation", "bicycle", "next to", "A bicycle leaning next to a brick wall",
                "test");
        assertEquals("An elephant leaning behind a brick wall", Transfer.apply(relation, "elephant", "behind"));
        Demonstration background = new Demonstration("background", "owl", "barn roof", "an owl sitting on a barn roof at dusk",
                "test");
        assertEquals("a dog sitting on an office desk at dusk", Transfer.apply(background, "dog", "office desk"));
        assertEquals("a dog sitting on a barn roof at dusk", Transfer.apply(background, "dog", null));
        Demonstration twice = new Demonstration("concept", "cat", null, "a cat watching another cat", "test");
        assertEquals("an owl watching another owl", Transfer.apply(twice, "owl", null));
        // only whole words: "catalogue" is not the cat
        Demonstration word = new Demonstration("concept", "cat", null, "a cat reading a catalogue", "test");
        assertEquals("an emu reading a catalogue", Transfer.apply(word, "emu", null));
        // a new background that contains the old concept's word is not replaced again
        assertEquals("a dog sitting on an owl sanctuary at dusk", Transfer.apply(background, "dog", "owl sanctuary"));
    }

    @Test
    void offlineCaptionsOfAVowelConceptNeverSayAApple() throws Exception {
        List<String> texts = texts(captioner(Map.of()).generate(request(40, 3, "apple", "umbrella stand")));
        for (String t : texts) {
            assertTrue(!t.matches("(?i).*\\ba apple.*") && !t.matches("(?i).*\\ba umbrella.*"), t);
        }
        assertTrue(texts.stream().anyMatch(t -> t.toLowerCase().contains("an apple")), texts.toString());
    }

    @Test
    void everyTemplateFamilyIsUsedAndAttributesAreUsedForTheirFamily() throws Exception {
        Set<String> families = new HashSet<>();
        Demonstrations d = bundled();
        Concept concept = new Concept("heron", Map.of("background", "misty lake"));
        for (long seed = 0; seed < 30; seed++) {
            InContextCaptioner.Prompt p = InContextCaptioner.prompt(d, concept, 3, List.of("park bench"), List.of("near"),
                    "", new SplittableRandom(seed));
            families.add(p.family());
            assertTrue(p.shown().stream().allMatch(x -> x.family().equals(p.family())));
            if (p.family().equals("background")) {
                assertEquals("misty lake", p.extra());
            } else if (p.family().equals("relation")) {
                assertEquals("near", p.extra());
            }
        }
        assertEquals(Set.of("concept", "background", "relation"), families);
        List<String> texts = texts(captioner(Map.of()).generate(new CaptionRequest(List.of(concept), 30, 1, List.of())));
        assertTrue(texts.stream().anyMatch(t -> t.contains("misty lake")), texts.toString());
    }

    @Test
    void theRequestsDemonstrationsReplaceTheFilesAndMustBeDemonstrations() throws Exception {
        CaptionRequest own = new CaptionRequest(List.of(Concept.of("ibis")), 6, 2,
                List.of("zebra => a zebra grazing at dawn", "crane, river bank => a crane fishing from a river bank",
                        "yak, beside => a yak resting beside a stone hut"));
        List<String> texts = texts(captioner(Map.of()).generate(own));
        for (String t : texts) {
            assertTrue(t.equals("an ibis grazing at dawn") || t.matches("an ibis fishing from an? [a-z ]+")
                    || t.matches("an ibis resting [a-z ]+ a stone hut"), t);
        }
        CaptionRequest bad = new CaptionRequest(List.of(Concept.of("ibis")), 2, 2, List.of("a zebra grazing at dawn"));
        GenerationException e = assertThrows(GenerationException.class, () -> captioner(Map.of()).generate(bad));
        assertTrue(e.getMessage().contains("demonstration 1") && e.getMessage().contains("concept => caption"),
                e.getMessage());
    }

    @Test
    void withAServerItSendsKDemonstrationsOfOneFamilyThenTheQuery() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> Reply.ok("caption number " + n))) {
            for (int k : new int[] {1, 3, 5}) {
                InContextCaptioner c = captioner(Map.of("base.url", server.baseUrl(), "demonstrations.k", k,
                        "cache.directory", "", "prompt.header", "Caption the last concept."));
                int before = server.received().size();
                List<GeneratedCaption> captions = c.generate(request(10, k, "heron"));
                assertEquals(10, captions.size());
                List<Received> received = server.received().subList(before, server.received().size());
                assertEquals(10, received.size(), "one request per caption");
                Demonstrations d = bundled();
                Set<String> families = new HashSet<>();
                for (Received r : received) {
                    String[] lines = r.prompt().split("\n");
                    assertEquals("Caption the last concept.", lines[0]);
                    assertEquals("", lines[1]);
                    assertEquals(2 + k + 1, lines.length, r.prompt());
                    String query = lines[lines.length - 1];
                    assertTrue(query.startsWith("heron") && query.endsWith(" =>"), query);
                    String family = !query.contains(",") ? "concept"
                            : List.of(Configs.defaults(InContextConfig.class).relations()).contains(
                                    query.substring("heron, ".length(), query.length() - 3)) ? "relation" : "background";
                    families.add(family);
                    Set<String> shown = new HashSet<>();
                    for (int i = 2; i < 2 + k; i++) {
                        String line = lines[i];
                        assertTrue(d.of(family).stream().anyMatch(x -> x.line().equals(line)), family + ": " + line);
                        shown.add(line);
                    }
                    assertEquals(k, shown.size(), "k different demonstrations");
                }
                if (k == 3) {
                    assertEquals(Set.of("concept", "background", "relation"), families);
                }
            }
        }
    }

    @Test
    void withAServerTheAnswerIsTheCaptionAndRepeatsComeFromTheCache() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> Reply.ok(n % 2 == 0 ? "heron => \"a heron wading, " + n + "\""
                : "A heron in flight " + n + "\n\nThis caption shows..."))) {
            InContextCaptioner c = captioner(Map.of("base.url", server.baseUrl(), "batch.size", 3));
            List<String> first = texts(c.generate(request(6, 8, "heron")));
            assertEquals(6, first.size());
            for (String t : first) {
                assertTrue(t.matches("a heron wading, \\d+|A heron in flight \\d+"), t);
            }
            assertEquals(6, server.received().size());
            assertEquals(first, texts(captioner(Map.of("base.url", server.baseUrl())).generate(request(6, 8, "heron"))));
            assertEquals(6, server.received().size());
        }
    }

    @Test
    void demonstrationFileErrorsNameTheLine() throws IOException {
        String m = fileError("[concept]", "dog => a dog on a mat", "[animals]");
        assertTrue(m.contains("line 3") && m.contains("unknown family"), m);
        m = fileError("dog => a dog on a mat");
        assertTrue(m.contains("line 1") && m.contains("before any section"), m);
        m = fileError("[concept]", "", "dog => a puppy on a mat");
        assertTrue(m.contains("line 3") && m.contains("does not contain its concept 'dog'"), m);
        m = fileError("[background]", "dog => a dog on a mat");
        assertTrue(m.contains("line 2") && m.contains("concept, background => caption"), m);
        m = fileError("[relation]", "dog, under => a dog on a mat");
        assertTrue(m.contains("line 2") && m.contains("relation 'under'"), m);
        m = fileError("[concept]", "dog a dog on a mat");
        assertTrue(m.contains("line 2") && m.contains("input => caption"), m);
        m = fileError("# nothing");
        assertTrue(m.contains("no demonstrations"), m);
    }

    private String fileError(String... lines) throws IOException {
        Path file = home.resolve("demos.txt");
        Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
        Map<String, Object> p = new HashMap<>();
        p.put("demonstrations.file", "demos.txt");
        String m = assertThrows(IllegalArgumentException.class, () -> captioner(p)).getMessage();
        assertTrue(m.startsWith(InContextCaptioner.PID + ": demonstrations.file " + file), m);
        return m;
    }

    @Test
    void aConfiguredFileReplacesTheBundledOne() throws Exception {
        Files.writeString(home.resolve("mine.txt"), "[concept]\nstar => a star over the desert\n", StandardCharsets.UTF_8);
        List<String> texts = texts(captioner(Map.of("demonstrations.file", "mine.txt", "deduplicate", false))
                .generate(request(3, 1, "moon")));
        assertEquals(List.of("a moon over the desert", "a moon over the desert", "a moon over the desert"), texts);
        assertTrue(Demonstrations.read(new ByteArrayInputStream("[concept]\nstar => a star\n".getBytes(StandardCharsets.UTF_8)),
                "x").families().equals(List.of("concept")));
    }

    @Test
    void configurationErrorsNameThePidThePropertyAndTheValue() {
        String m = assertThrows(IllegalArgumentException.class, () -> captioner(Map.of("demonstrations.k", 0))).getMessage();
        assertTrue(m.contains(InContextCaptioner.PID) && m.contains("demonstrations.k") && m.contains("0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> captioner(Map.of("base.url", "ftp://x"))).getMessage();
        assertTrue(m.contains("base.url") && m.contains("ftp://x"), m);
    }
}
