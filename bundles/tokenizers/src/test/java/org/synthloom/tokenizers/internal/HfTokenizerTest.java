package org.synthloom.tokenizers.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.testkit.Configs;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/** The {@code huggingface} tokenizer on DJL's native tokenizers, with tokenizer.json files written by the test. */
class HfTokenizerTest {

    @TempDir
    Path dir;

    private final List<HfTokenizer> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(HfTokenizer::close);
    }

    private HfTokenizer tokenizer(Map<String, ?> properties) {
        HfTokenizer t = new HfTokenizer(dir, Configs.of(HfConfig.class, properties));
        open.add(t);
        return t;
    }

    private static JsonObject added(int id, String content) {
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("content", content);
        t.addProperty("single_word", false);
        t.addProperty("lstrip", false);
        t.addProperty("rstrip", false);
        t.addProperty("normalized", false);
        t.addProperty("special", true);
        return t;
    }

    private static JsonObject type(String type) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        return o;
    }

    /** A WordLevel tokenizer: lower-cased, split on white space and punctuation. */
    private Path wordLevel() throws IOException {
        String[] words = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "red", "circle", "blue", "square", "."};
        JsonObject vocab = new JsonObject();
        for (int i = 0; i < words.length; i++) {
            vocab.addProperty(words[i], i);
        }
        JsonArray addedTokens = new JsonArray();
        for (int i = 0; i < 4; i++) {
            addedTokens.add(added(i, words[i]));
        }
        JsonObject model = type("WordLevel");
        model.add("vocab", vocab);
        model.addProperty("unk_token", "[UNK]");
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);
        root.add("added_tokens", addedTokens);
        root.add("normalizer", type("Lowercase"));
        root.add("pre_tokenizer", type("Whitespace"));
        root.add("post_processor", JsonNull.INSTANCE);
        root.add("decoder", JsonNull.INSTANCE);
        root.add("model", model);
        Path file = dir.resolve("words/tokenizer.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, root.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Our trained byte-level BPE as a Hugging Face tokenizer.json (ByteLevel pre-tokenizer and decoder). */
    static Path byteLevelBpe(BpeModel bpe, Path file) throws IOException {
        JsonObject vocab = new JsonObject();
        List<String> tokens = bpe.tokens();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.addProperty(tokens.get(id), id);
        }
        JsonArray merges = new JsonArray();
        bpe.merges().forEach(m -> merges.add(m[0] + " " + m[1]));
        JsonObject model = type("BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.add("continuing_subword_prefix", JsonNull.INSTANCE);
        model.add("end_of_word_suffix", JsonNull.INSTANCE);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.add("vocab", vocab);
        model.add("merges", merges);
        JsonObject byteLevel = type("ByteLevel");
        byteLevel.addProperty("add_prefix_space", false);
        byteLevel.addProperty("trim_offsets", true);
        byteLevel.addProperty("use_regex", true);
        JsonArray addedTokens = new JsonArray();
        for (int i = 0; i < 3; i++) {
            addedTokens.add(added(i, tokens.get(i)));
        }
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);
        root.add("added_tokens", addedTokens);
        root.add("normalizer", JsonNull.INSTANCE);
        root.add("pre_tokenizer", byteLevel);
        root.add("post_processor", JsonNull.INSTANCE);
        root.add("decoder", byteLevel);
        root.add("model", model);
        Files.createDirectories(file.getParent());
        Files.writeString(file, new GsonBuilder().disableHtmlEscaping().create().toJson(root), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aWordLevelTokenizerEncodesDecodesAndFindsItsSpecialTokens() throws IOException {
        wordLevel();
        HfTokenizer t = tokenizer(Map.of("file", "words"));
        assertEquals(10, t.vocabularySize());
        assertArrayEquals(new int[] {4, 5, 6, 9}, t.encode("A red Circle."), "no special tokens added");
        assertArrayEquals(new int[] {4, 1, 8}, t.encode("a green square"));
        assertEquals(0, t.padId());
        assertEquals(2, t.startId());
        assertEquals(3, t.endId());
        assertEquals("a blue square", t.decode(new int[] {2, 4, 7, 8, 3, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {10}));
        HfTokenizer configured = tokenizer(Map.of("file", "words/tokenizer.json", "pad.token", "[UNK]", "end.token", "."));
        assertEquals(1, configured.padId());
        assertEquals(9, configured.endId());
    }

    @Test
    void ourByteLevelBpeGivesTheSameIdsThroughTheRustTokenizers() throws IOException {
        BpeModel bpe = (BpeModel) new BpeTokenizer(dir, Configs.of(BpeConfig.class, Map.of("vocabulary.size", 400)))
                .fit(new TestFitContext(dir.resolve("fit"), BpeTokenizerTest.corpus()));
        byteLevelBpe(bpe, dir.resolve("bpe/tokenizer.json"));
        HfTokenizer hf = tokenizer(Map.of("file", "bpe/tokenizer.json"));
        assertEquals(bpe.vocabularySize(), hf.vocabularySize());
        assertEquals(0, hf.padId()); // "<|pad|>" is among the usual names
        List<String> texts = new ArrayList<>(BpeTokenizerTest.CAPTIONS);
        texts.addAll(List.of("Ünïcödé çåñ ŝtäy", "日本語のキャプション", "emoji 🟥🔵⭐", "  two  spaces\tand\ttabs\n",
                "it's they're 12345 3.14", "a circled squares' reds!!"));
        for (String text : texts) {
            assertArrayEquals(bpe.encode(text), hf.encode(text), text);
            assertEquals(text, hf.decode(bpe.encode(text)));
        }
    }

    @Test
    void withoutAFileItIsActiveButCannotEncode() {
        HfTokenizer t = tokenizer(Map.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.encode("a"));
        assertTrue(e.getMessage().contains("set file") && e.getMessage().contains(HfTokenizer.PID), e.getMessage());
        assertThrows(IllegalStateException.class, t::vocabularySize);
    }

    @Test
    void badFilesAndTokensAreRefusedWithTheReason() throws IOException {
        wordLevel();
        String m = assertThrows(IllegalArgumentException.class, () -> tokenizer(Map.of("file", "words",
                "start.token", "<s>"))).getMessage();
        assertTrue(m.contains("start.token '<s>'") && m.contains("tokenizer.json"), m);
        Files.writeString(dir.resolve("broken.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": ", StandardCharsets.UTF_8);
        m = assertThrows(IllegalArgumentException.class, () -> tokenizer(Map.of("file", "broken.json"))).getMessage();
        assertTrue(m.contains(HfTokenizer.PID) && m.contains("broken.json") && m.contains("not a Hugging Face tokenizer.json"), m);
        m = assertThrows(IllegalArgumentException.class, () -> tokenizer(Map.of("file", "missing.json"))).getMessage();
        assertTrue(m.contains("missing.json") && m.contains("cannot be read"), m);
        // valid JSON with a vocabulary, but not a model the Rust library knows
        Files.writeString(dir.resolve("odd.json"), "{\"added_tokens\": [], \"model\": {\"type\": \"Nonsense\", \"vocab\":"
                + " {\"<pad>\": 0, \"<s>\": 1, \"</s>\": 2}}}", StandardCharsets.UTF_8);
        m = assertThrows(IllegalArgumentException.class, () -> tokenizer(Map.of("file", "odd.json"))).getMessage();
        assertTrue(m.contains("cannot be loaded by DJL's tokenizers"), m);
    }
}
