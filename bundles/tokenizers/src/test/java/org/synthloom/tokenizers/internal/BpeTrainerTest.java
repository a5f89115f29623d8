package org.synthloom.tokenizers.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BpeTrainerTest {

    private static final String[] SPECIALS = {"<|pad|>", "<|startoftext|>", "<|endoftext|>"};

    private static BpeModel train(List<String> corpus, int vocabularySize, int minFrequency) {
        BpeTrainer trainer = new BpeTrainer();
        corpus.forEach(trainer::add);
        return trainer.train(vocabularySize, minFrequency, SPECIALS, n -> {});
    }

    private static List<String> repeat(Object... textAndCount) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < textAndCount.length; i += 2) {
            for (int n = 0; n < (Integer) textAndCount[i + 1]; n++) {
                out.add((String) textAndCount[i]);
            }
        }
        return out;
    }

    private static List<String> merges(BpeModel model) {
        return model.merges().stream().map(m -> m[0] + " " + m[1]).toList();
    }

    /** The toy corpus of Hugging Face's course: hug 10, pug 5, pun 12, bun 4, hugs 5 (one word a caption, no spaces). */
    private static final List<String> TOY = repeat("hug", 10, "pug", 5, "pun", 12, "bun", 4, "hugs", 5);

    @Test
    void learnsTheMergesComputedByHand() {
        // pairs at the start: h u 15, u g 20, p u 17, u n 16, b u 4, g s 5
        // 1. u g (20)  -> h ug 10, p ug 5, p u n 12, b u n 4, h ug s 5: h ug 15, p ug 5, p u 12, u n 16, b u 4, ug s 5
        // 2. u n (16)  -> h ug 15, p ug 5, p un 12, b un 4, ug s 5
        // 3. h ug (15) -> p ug 5, p un 12, b un 4, hug s 5
        // 4. p un (12) -> p ug 5, b un 4, hug s 5
        // 5. p ug (5) and hug s (5) tie: the smaller left id wins, p (byte 112 -> id 115) before hug (id 261)
        // 6. hug s (5)
        // 7. b un (4)
        BpeModel model = train(TOY, 10_000, 2);
        assertEquals(List.of("u g", "u n", "h ug", "p un", "p ug", "hug s", "b un"), merges(model));
        assertEquals(259 + 7, model.vocabularySize());
        List<String> tokens = model.tokens();
        assertEquals(List.of("<|pad|>", "<|startoftext|>", "<|endoftext|>"), tokens.subList(0, 3));
        assertEquals("!", tokens.get(3 + '!'));
        assertEquals(List.of("ug", "un", "hug", "pun", "pug", "hugs", "bun"), tokens.subList(259, 266));
        assertArrayEquals(new int[] {264}, model.encode("hugs"));
        // "bugs" has no merge b ug: b, ug, s
        assertArrayEquals(new int[] {3 + 'b', 259, 3 + 's'}, model.encode("bugs"));
    }

    @Test
    void stopsAtTheVocabularySizeAndTheMinimumFrequency() {
        assertEquals(List.of("u g", "u n", "h ug"), merges(train(TOY, 259 + 3, 2)));
        assertEquals(List.of("u g", "u n", "h ug", "p un", "p ug", "hug s"), merges(train(TOY, 10_000, 5)));
        assertEquals(List.of(), merges(train(TOY, 259, 1)));
    }

    @Test
    void repeatedSymbolsMergeLeftToRightWithoutOverlap() {
        // "aaaa": a a counted 3 times; merged left to right -> aa aa; then aa aa once
        BpeModel model = train(List.of("aaaa"), 10_000, 1);
        assertEquals(List.of("a a", "aa aa"), merges(model));
        assertArrayEquals(new int[] {260}, model.encode("aaaa"));
        assertArrayEquals(new int[] {259, 3 + 'a'}, model.encode("aaa"));
    }

    @Test
    void mergesStayWithinPreTokens() {
        // " dog" is a pre-token with its space: the space byte (Ġ) merges with the word, never across words
        BpeModel model = train(repeat("a dog a dog", 3), 10_000, 2);
        for (String m : merges(model)) {
            assertTrue(!m.contains("g Ġ") && !m.contains("a Ġ") || m.startsWith("Ġ"), m);
        }
        assertTrue(model.tokens().contains("Ġdog"), model.tokens().toString());
    }

    @Test
    void theIncrementalCountsGiveTheMergesOfAFullRecountEachStep() {
        SplittableRandom random = new SplittableRandom(7);
        String[] syllables = {"ka", "lo", "mi", "ne", "ra", "su", "to", "ai", "é", "日本", " ", "  ", "!", "9"};
        List<String> corpus = new ArrayList<>();
        for (int c = 0; c < 300; c++) {
            StringBuilder b = new StringBuilder();
            int n = 2 + random.nextInt(10);
            for (int i = 0; i < n; i++) {
                b.append(syllables[random.nextInt(syllables.length)]);
            }
            corpus.add(b.toString());
        }
        BpeModel fast = train(corpus, 259 + 150, 2);
        assertEquals(naiveMerges(corpus, 259 + 150, 2), merges(fast));
        assertTrue(fast.merges().size() > 50, "a test that merges little proves little: " + fast.merges().size());
        assertEquals(merges(fast), merges(train(corpus, 259 + 150, 2)), "deterministic");
    }

    /** Full recount of every pair at every step, same tie rule: the reference the trainer must agree with. */
    private static List<String> naiveMerges(List<String> corpus, int vocabularySize, int minFrequency) {
        List<String> tokens = new ArrayList<>(List.of(SPECIALS));
        Map<String, Integer> ids = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            ids.put(String.valueOf(ByteLevel.symbol(b)), tokens.size());
            tokens.add(String.valueOf(ByteLevel.symbol(b)));
        }
        Map<String, Integer> counts = new HashMap<>();
        corpus.forEach(t -> ByteLevel.split(t).forEach(w -> counts.merge(ByteLevel.encode(w), 1, Integer::sum)));
        List<int[]> words = new ArrayList<>();
        List<Integer> freq = new ArrayList<>();
        counts.forEach((w, n) -> {
            words.add(w.chars().map(c -> 3 + ByteLevel.byteOf((char) c)).toArray());
            freq.add(n);
        });
        List<String> merges = new ArrayList<>();
        while (tokens.size() < vocabularySize) {
            Map<Long, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] word = words.get(w);
                for (int i = 0; i + 1 < word.length; i++) {
                    pairs.merge(BpeModel.pair(word[i], word[i + 1]), (long) freq.get(w), Long::sum);
                }
            }
            long best = -1;
            long bestCount = 0;
            for (Map.Entry<Long, Long> e : pairs.entrySet()) {
                long p = e.getKey();
                int l = (int) (p >>> 32);
                int r = (int) p;
                int bl = (int) (best >>> 32);
                int br = (int) best;
                if (e.getValue() > bestCount || e.getValue() == bestCount && (l < bl || l == bl && r < br)) {
                    best = p;
                    bestCount = e.getValue();
                }
            }
            if (bestCount < minFrequency || bestCount == 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            String merged = tokens.get(left) + tokens.get(right);
            Integer id = ids.get(merged);
            if (id == null) {
                id = tokens.size();
                ids.put(merged, id);
                tokens.add(merged);
            }
            merges.add(tokens.get(left) + " " + tokens.get(right));
            for (int w = 0; w < words.size(); w++) {
                int[] word = words.get(w);
                int[] out = new int[word.length];
                int n = 0;
                for (int i = 0; i < word.length; i++) {
                    if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                        out[n++] = id;
                        i++;
                    } else {
                        out[n++] = word[i];
                    }
                }
                words.set(w, java.util.Arrays.copyOf(out, n));
            }
        }
        return merges;
    }

    @Test
    void trainsOnAHundredThousandCaptionsInSeconds() {
        // A corpus shaped like real captions: 8 to 14 words drawn from a Zipf law over 20 000 made-up words.
        SplittableRandom random = new SplittableRandom(1);
        String letters = "etaoinshrdlcumwfgypbvkjxqz";
        String[] lexicon = new String[20_000];
        for (int i = 0; i < lexicon.length; i++) {
            StringBuilder w = new StringBuilder();
            int length = 2 + random.nextInt(8);
            for (int j = 0; j < length; j++) {
                w.append(letters.charAt(Math.min(letters.length() - 1, (int) (-Math.log(1 - random.nextDouble()) * 6))));
            }
            lexicon[i] = w.toString();
        }
        double[] cumulative = new double[lexicon.length];
        double sum = 0;
        for (int i = 0; i < lexicon.length; i++) {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
        }
        List<String> corpus = new ArrayList<>(100_000);
        for (int c = 0; c < 100_000; c++) {
            StringBuilder b = new StringBuilder();
            int n = 8 + random.nextInt(7);
            for (int i = 0; i < n; i++) {
                int at = java.util.Arrays.binarySearch(cumulative, random.nextDouble() * sum);
                b.append(i == 0 ? "" : " ").append(lexicon[at < 0 ? -at - 1 : at]);
            }
            corpus.add(b.append('.').toString());
        }
        long start = System.nanoTime();
        BpeTrainer trainer = new BpeTrainer();
        corpus.forEach(trainer::add);
        long counted = System.nanoTime();
        BpeModel model = trainer.train(8192, 2, SPECIALS, n -> {});
        long trained = System.nanoTime();
        double countSeconds = (counted - start) / 1e9;
        double trainSeconds = (trained - counted) / 1e9;
        long tokens = 0;
        long bytes = 0;
        for (String caption : corpus.subList(0, 10_000)) {
            tokens += model.encode(caption).length;
            bytes += caption.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        long encoded = System.nanoTime();
        System.out.printf("bpe: 100 000 captions, %d distinct pre-tokens: counted in %.2f s, %d merges in %.2f s;"
                + " encoding 10 000 captions %.2f s, %.2f bytes per token%n", trainer.distinctWords(), countSeconds,
                model.merges().size(), trainSeconds, (encoded - trained) / 1e9, bytes / (double) tokens);
        assertEquals(8192, model.vocabularySize());
        assertTrue(countSeconds + trainSeconds < 30, "took " + (countSeconds + trainSeconds) + " s");
        assertTrue(bytes / (double) tokens > 3, "the merges compress: " + bytes / (double) tokens + " bytes per token");
    }
}
