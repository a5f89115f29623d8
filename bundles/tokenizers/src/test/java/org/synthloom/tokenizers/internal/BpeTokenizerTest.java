package org.synthloom.tokenizers.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.testkit.Configs;

class BpeTokenizerTest {

    @TempDir
    Path dir;

    static final List<String> CAPTIONS = List.of("a red circle on a white background", "a small blue square",
            "two red circles next to a green triangle", "a blue circle above a red square", "a large green star",
            "the red circle is left of the blue square", "a photo of a red circle", "a drawing of a blue star",
            "three small circles in a row", "a red circle and a red square");

    static List<String> corpus() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.addAll(CAPTIONS);
        }
        return out;
    }

    private BpeTokenizer unfitted(Map<String, ?> properties) throws IOException {
        return new BpeTokenizer(dir, Configs.of(BpeConfig.class, properties));
    }

    private Tokenizer fitted() throws IOException {
        return unfitted(Map.of("vocabulary.size", 400)).fit(new TestFitContext(dir.resolve("fit"), corpus()));
    }

    @Test
    void theUnfittedServiceSaysWhatToDo() throws IOException {
        BpeTokenizer t = unfitted(Map.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.encode("a red circle"));
        assertTrue(e.getMessage().contains("no vocabulary yet") && e.getMessage().contains("fits it")
                && e.getMessage().contains("vocabulary.file"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.decode(new int[] {3}));
        assertThrows(IllegalStateException.class, t::vocabularySize);
        assertEquals(0, t.padId());
        assertEquals(1, t.startId());
        assertEquals(2, t.endId());
    }

    @Test
    void fitLearnsFromTheHumanCaptionsSavesAndAReFitLoadsWithoutReading() throws IOException {
        TestFitContext context = new TestFitContext(dir.resolve("fit"), corpus());
        Tokenizer first = unfitted(Map.of("vocabulary.size", 400)).fit(context);
        assertEquals(1, context.opened);
        assertTrue(first.vocabularySize() > 259 && first.vocabularySize() <= 400, "" + first.vocabularySize());
        assertTrue(Files.isRegularFile(dir.resolve("fit/vocab.json")) && Files.isRegularFile(dir.resolve("fit/merges.txt")));
        Map<String, Double> report = context.reports.get("bpe");
        assertEquals(first.vocabularySize(), report.get("vocabulary_size"));
        assertEquals(200.0, report.get("captions"));
        assertTrue(report.get("bytes_per_token") > 2, report.toString());
        assertEquals(400 - 259, context.progress.get(0)[1], "progress towards the full vocabulary ...");
        long[] last = context.progress.get(context.progress.size() - 1);
        assertEquals(first.vocabularySize() - 259, last[0], "... ending at the merges made");
        assertEquals(last[0], last[1]);
        // a common word of the corpus is one token
        assertEquals(1, first.encode(" circle").length);
        // the same directory again: loaded, the data is not read (null captions make open() fail)
        Tokenizer again = unfitted(Map.of("vocabulary.size", 400)).fit(new TestFitContext(dir.resolve("fit"), null));
        assertEquals(first.vocabularySize(), again.vocabularySize());
        for (String c : CAPTIONS) {
            assertArrayEquals(first.encode(c), again.encode(c));
        }
    }

    @Test
    void arbitraryUnicodeTextRoundTrips() throws IOException {
        Tokenizer t = fitted();
        List<String> texts = new ArrayList<>(List.of("", " ", "a red circle", "  two  spaces\tand\ttabs\n\nnew lines ",
                "Ünïcödé çåñ ŝtäy", "日本語のキャプション", "emoji 🟥🔵⭐ and 👩‍👩‍👧 family", "e\u0301 combining",
                "\u00a0nbsp\u3000ideographic space", "control \u0000\u0001\u007f chars", "it's they're we've I'm",
                "numbers 12345 3.14 -7", "<|pad|> is text here", "\uD800\uDC00 first astral", "\uFFFD\uFFFF"));
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n < 300; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(40);
            while (b.length() < length) {
                int cp = random.nextInt(4) == 0 ? random.nextInt(0x110000) : random.nextInt(0x80);
                if (cp < 0xD800 || cp > 0xDFFF) {
                    b.appendCodePoint(cp);
                }
            }
            texts.add(b.toString());
        }
        for (String text : texts) {
            int[] ids = t.encode(text);
            for (int id : ids) {
                assertTrue(id >= 3 && id < t.vocabularySize(), "id " + id + " for " + text);
            }
            assertEquals(text, t.decode(ids), "round trip of " + text.codePoints().boxed().toList());
        }
        // padding, start and end are dropped; an id outside the vocabulary is refused
        int[] ids = t.encode("a red circle");
        int[] framed = new int[ids.length + 3];
        framed[0] = t.startId();
        System.arraycopy(ids, 0, framed, 1, ids.length);
        framed[ids.length + 1] = t.endId();
        framed[ids.length + 2] = t.padId();
        assertEquals("a red circle", t.decode(framed));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {t.vocabularySize()}));
        // a byte sequence cut mid-character decodes with a replacement character
        assertEquals("\uFFFD", t.decode(new int[] {3 + 0xE6}));
    }

    @Test
    void savedFilesAreGpt2FormatAndLoadIntoAnEqualTokenizer() throws IOException {
        Tokenizer fitted = fitted();
        List<String> merges = Files.readAllLines(dir.resolve("fit/merges.txt"), StandardCharsets.UTF_8);
        assertEquals("#version: 0.2", merges.get(0));
        assertEquals(fitted.vocabularySize() - 259, merges.size() - 1);
        String vocab = Files.readString(dir.resolve("fit/vocab.json"), StandardCharsets.UTF_8);
        // byte b is id 3 + b, spelt in GPT-2's byte alphabet: byte 0 is U+0100, '!' is itself
        assertTrue(vocab.startsWith("{\"<|pad|>\":0,\"<|startoftext|>\":1,\"<|endoftext|>\":2,\"\u0100\":3,"),
                vocab.substring(0, 80));
        assertTrue(vocab.contains(",\"!\":36,"), vocab.substring(0, 400));
        assertTrue(vocab.contains("\"Ġcircle\":"), "space as Ġ, GPT-2's byte alphabet");

        BpeTokenizer loaded = unfitted(Map.of("vocabulary.file", "fit/vocab.json", "merges.file", "fit/merges.txt"));
        assertEquals(fitted.vocabularySize(), loaded.vocabularySize());
        assertEquals(((BpeModel) fitted).tokens(), BpeModel.load(dir.resolve("fit/vocab.json"),
                dir.resolve("fit/merges.txt"), new String[] {"<|pad|>", "<|startoftext|>", "<|endoftext|>"}).tokens());
        for (String c : corpus().subList(0, 10)) {
            assertArrayEquals(fitted.encode(c), loaded.encode(c));
            assertEquals(c, loaded.decode(loaded.encode(c)));
        }
        assertEquals(0, loaded.padId());
        assertEquals(2, loaded.endId());
        // a loaded vocabulary may use one token for several roles, as GPT-2 does with <|endoftext|>
        BpeTokenizer gpt2Style = unfitted(Map.of("vocabulary.file", "fit/vocab.json", "merges.file", "fit/merges.txt",
                "pad.token", "<|endoftext|>", "start.token", "<|endoftext|>"));
        assertEquals(List.of(2, 2, 2), List.of(gpt2Style.padId(), gpt2Style.startId(), gpt2Style.endId()));
        // with files configured, fitting returns the service itself without reading any data
        assertSame(loaded, loaded.fit(new TestFitContext(dir.resolve("other"), null)));
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndLine() throws IOException {
        fitted();
        Path merges = dir.resolve("fit/merges.txt");
        List<String> lines = new ArrayList<>(Files.readAllLines(merges, StandardCharsets.UTF_8));
        lines.add("Ġzebra Ġquagga");
        Files.write(dir.resolve("bad-merges.txt"), lines, StandardCharsets.UTF_8);
        String m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("vocabulary.file", "fit/vocab.json",
                "merges.file", "bad-merges.txt"))).getMessage();
        assertTrue(m.contains(BpeTokenizer.PID) && m.contains("bad-merges.txt line " + lines.size())
                && m.contains("Ġzebra"), m);
        Files.writeString(dir.resolve("bad-vocab.json"), "{\"a\": 0, \"b\": ", StandardCharsets.UTF_8);
        m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("vocabulary.file", "bad-vocab.json",
                "merges.file", "fit/merges.txt"))).getMessage();
        assertTrue(m.contains("bad-vocab.json") && m.contains("not valid JSON"), m);
        m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("vocabulary.file", "fit/vocab.json",
                "merges.file", "fit/merges.txt", "pad.token", "[PAD]"))).getMessage();
        assertTrue(m.contains("no pad token '[PAD]'") && m.contains("pad.token"), m);
        Files.writeString(dir.resolve("tiny-vocab.json"), "{\"<|pad|>\": 0, \"<|startoftext|>\": 1, \"<|endoftext|>\": 2,"
                + " \"a\": 3}", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("empty-merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
        m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("vocabulary.file", "tiny-vocab.json",
                "merges.file", "empty-merges.txt"))).getMessage();
        assertTrue(m.contains("no token for the byte 0"), m);
    }

    @Test
    void configurationErrorsNameThePidThePropertyAndTheValue() {
        String m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("vocabulary.size", 100))).getMessage();
        assertTrue(m.contains(BpeTokenizer.PID) && m.contains("vocabulary.size") && m.contains("100"), m);
        m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("vocabulary.file", "v.json"))).getMessage();
        assertTrue(m.contains("merges.file") && m.contains("v.json"), m);
        m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("pad.token", "pad"))).getMessage();
        assertTrue(m.contains("pad.token 'pad'") && m.contains("learnt"), m);
        m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("end.token", "<|pad|>"))).getMessage();
        assertTrue(m.contains("end.token") && m.contains("must differ"), m);
        m = assertThrows(IllegalArgumentException.class, () -> unfitted(Map.of("min.frequency", 0))).getMessage();
        assertTrue(m.contains("min.frequency") && m.contains("0"), m);
    }

    @Test
    void aCorpusWithoutCaptionsIsAnError() throws IOException {
        BpeTokenizer t = unfitted(Map.of());
        IOException e = assertThrows(IOException.class, () -> t.fit(new TestFitContext(dir.resolve("empty"), List.of())));
        assertTrue(e.getMessage().contains("no captions"), e.getMessage());
    }
}
