package org.synthloom.tokenizers.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.synthloom.api.model.Tokenizer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A byte-level BPE vocabulary and its merges, immutable and thread safe: GPT-2's encoding (each
 * pre-token's bytes merged pair by pair, the lowest-ranked merge first, all its occurrences left to
 * right) and the GPT-2 / Hugging Face files {@code vocab.json} (token to id) and
 * {@code merges.txt} ({@code #version: 0.2}, then one merge {@code left right} a line, in rank order).
 */
final class BpeModel implements Tokenizer {

    static final String VOCAB = "vocab.json";
    static final String MERGES = "merges.txt";
    /** Pre-tokens remembered with their ids; cleared when full, a bound on memory. */
    private static final int CACHE_LIMIT = 100_000;

    private final String[] tokens;
    private final Map<String, Integer> ids;
    /** Merges in rank order: left id, right id, merged id. */
    private final int[][] merges;
    private final Map<Long, Integer> rank = new HashMap<>();
    private final int[] byteIds = new int[256];
    private final int pad;
    private final int start;
    private final int end;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param tokens the token of each id ({@code null} for an id the vocabulary skips)
     * @param merges the merges in rank order: left id, right id, merged id
     * @param pad the padding id
     * @param start the start id
     * @param end the end id
     * @throws IllegalArgumentException if a byte has no token or a merge's ids are not in the vocabulary
     */
    BpeModel(String[] tokens, int[][] merges, int pad, int start, int end) {
        this.tokens = tokens.clone();
        this.ids = new HashMap<>();
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null) {
                ids.put(tokens[id], id);
            }
        }
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(String.valueOf(ByteLevel.symbol(b)));
            if (id == null) {
                throw new IllegalArgumentException("the vocabulary has no token for the byte " + b + " ('"
                        + ByteLevel.symbol(b) + "'), so some text could not be encoded");
            }
            byteIds[b] = id;
        }
        this.merges = merges.clone();
        for (int r = 0; r < merges.length; r++) {
            rank.putIfAbsent(pair(merges[r][0], merges[r][1]), r);
        }
        this.pad = pad;
        this.start = start;
        this.end = end;
    }

    static long pair(int left, int right) {
        return (long) left << 32 | right & 0xFFFFFFFFL;
    }

    @Override
    public int vocabularySize() {
        return tokens.length;
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[Math.max(4, text.length())];
        int n = 0;
        for (String word : ByteLevel.split(text)) {
            int[] pieces = cache.get(word);
            if (pieces == null) {
                pieces = encodeWord(ByteLevel.encode(word));
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
                cache.put(word, pieces);
            }
            if (n + pieces.length > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + pieces.length));
            }
            System.arraycopy(pieces, 0, out, n, pieces.length);
            n += pieces.length;
        }
        return Arrays.copyOf(out, n);
    }

    /** Merges one pre-token's byte symbols, the lowest-ranked pair first, every occurrence left to right. */
    private int[] encodeWord(String symbols) {
        int[] word = new int[symbols.length()];
        for (int i = 0; i < word.length; i++) {
            word[i] = byteIds[ByteLevel.byteOf(symbols.charAt(i))];
        }
        int length = word.length;
        while (length > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < length; i++) {
                Integer r = rank.get(pair(word[i], word[i + 1]));
                if (r != null && r < best) {
                    best = r;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            int left = merges[best][0];
            int right = merges[best][1];
            int merged = merges[best][2];
            int w = 0;
            for (int i = 0; i < length; i++) {
                if (i + 1 < length && word[i] == left && word[i + 1] == right) {
                    word[w++] = merged;
                    i++;
                } else {
                    word[w++] = word[i];
                }
            }
            length = w;
        }
        return Arrays.copyOf(word, length);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Tokens outside the byte alphabet (added tokens of a loaded vocabulary) decode to their own
     * text; byte sequences that are not valid UTF-8 decode to U+FFFD.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    @Override
    public String decode(int[] ids) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id < 0 || id >= tokens.length || tokens[id] == null) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary of " + tokens.length + " ids");
            }
            if (id == pad || id == start || id == end) {
                continue;
            }
            String token = tokens[id];
            for (int i = 0; i < token.length(); i++) {
                int b = ByteLevel.byteOf(token.charAt(i));
                if (b >= 0) {
                    bytes.write(b);
                } else {
                    byte[] raw = String.valueOf(token.charAt(i)).getBytes(StandardCharsets.UTF_8);
                    bytes.write(raw, 0, raw.length);
                }
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int padId() {
        return pad;
    }

    @Override
    public int startId() {
        return start;
    }

    @Override
    public int endId() {
        return end;
    }

    /** @return the merges as token pairs, in rank order */
    List<String[]> merges() {
        List<String[]> out = new ArrayList<>(merges.length);
        for (int[] m : merges) {
            out.add(new String[] {tokens[m[0]], tokens[m[1]]});
        }
        return out;
    }

    /** @return the token of each id, in id order (null where the vocabulary skips an id) */
    List<String> tokens() {
        return Arrays.asList(tokens.clone());
    }

    /**
     * Writes {@code merges.txt}, then {@code vocab.json}, each atomically: a directory holding both
     * holds a complete model.
     *
     * @param directory where to write
     * @throws IOException if they cannot be written
     */
    void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        StringBuilder text = new StringBuilder("#version: 0.2\n");
        for (String[] m : merges()) {
            text.append(m[0]).append(' ').append(m[1]).append('\n');
        }
        writeAtomically(directory.resolve(MERGES), text.toString());
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null) {
                vocab.put(tokens[id], id);
            }
        }
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        writeAtomically(directory.resolve(VOCAB), gson.toJson(vocab));
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            w.write(content);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads a {@code vocab.json} and a {@code merges.txt} (GPT-2 / Hugging Face format).
     *
     * @param vocab the vocabulary file
     * @param mergesFile the merges file
     * @param specials the pad, start and end tokens, looked up in the vocabulary
     * @return the model
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the file (and line) that is wrong
     */
    static BpeModel load(Path vocab, Path mergesFile, String[] specials) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        int size = 0;
        try (Reader r = Files.newBufferedReader(vocab, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(r);
            if (!root.isJsonObject()) {
                throw new IllegalArgumentException(vocab + ": not a JSON object of token -> id");
            }
            for (Map.Entry<String, JsonElement> e : ((JsonObject) root).entrySet()) {
                int id;
                try {
                    id = e.getValue().getAsInt();
                } catch (RuntimeException bad) {
                    throw new IllegalArgumentException(vocab + ": the id of '" + e.getKey() + "' is not an integer: " + e.getValue());
                }
                if (id < 0) {
                    throw new IllegalArgumentException(vocab + ": the id of '" + e.getKey() + "' is negative: " + id);
                }
                ids.put(e.getKey(), id);
                size = Math.max(size, id + 1);
            }
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(vocab + ": not valid JSON: " + e.getMessage(), e);
        }
        String[] tokens = new String[size];
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (tokens[e.getValue()] != null) {
                throw new IllegalArgumentException(vocab + ": the id " + e.getValue() + " is given to both '"
                        + tokens[e.getValue()] + "' and '" + e.getKey() + "'");
            }
            tokens[e.getValue()] = e.getKey();
        }
        List<String> lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
        List<int[]> merges = new ArrayList<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            if (line.isBlank() || n == 1 && line.startsWith("#version")) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            if (parts.length != 2) {
                throw new IllegalArgumentException(mergesFile + " line " + n + ": '" + line + "' is not 'left right'");
            }
            Integer left = ids.get(parts[0]);
            Integer right = ids.get(parts[1]);
            Integer merged = ids.get(parts[0] + parts[1]);
            if (left == null || right == null || merged == null) {
                String missing = left == null ? parts[0] : right == null ? parts[1] : parts[0] + parts[1];
                throw new IllegalArgumentException(mergesFile + " line " + n + ": '" + missing + "' is not in " + vocab);
            }
            merges.add(new int[] {left, right, merged});
        }
        int[] special = new int[3];
        String[] roles = {"pad", "start", "end"};
        for (int i = 0; i < 3; i++) {
            Integer id = ids.get(specials[i]);
            if (id == null) {
                throw new IllegalArgumentException(vocab + ": has no " + roles[i] + " token '" + specials[i] + "' (set "
                        + roles[i] + ".token to one it has)");
            }
            special[i] = id;
        }
        try {
            return new BpeModel(tokens, merges.toArray(new int[0][]), special[0], special[1], special[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(vocab + ": " + e.getMessage(), e);
        }
    }
}
