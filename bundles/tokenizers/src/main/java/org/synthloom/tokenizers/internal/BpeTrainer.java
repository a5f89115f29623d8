package org.synthloom.tokenizers.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/**
 * Learns byte-level BPE merges from a corpus. Ids 0, 1, 2 are the pad, start and end tokens, ids
 * 3..258 the 256 bytes in byte order, and each merge adds the next id, until the vocabulary has
 * {@code vocabularySize} ids or no pair occurs {@code minFrequency} times.
 *
 * <p>Each step merges the most frequent adjacent pair of tokens within pre-tokens, counted over
 * the corpus; ties go to the pair with the smaller left id, then the smaller right id, so the
 * result is a function of the corpus alone. Pair counts are kept up to date incrementally: a merge
 * recounts only the words that contain the pair (found through an index from pair to
 * words), and a priority queue with lazy invalidation finds the next pair; nothing is recounted
 * over the whole corpus.
 */
final class BpeTrainer {

    static final int SPECIALS = 3;
    static final int BYTES = 256;

    private final Map<String, long[]> counts = new HashMap<>();
    private long corpusBytes;
    private long corpusTokens;

    /**
     * Counts the pre-tokens of a text.
     *
     * @param text a caption
     */
    void add(String text) {
        for (String word : ByteLevel.split(text)) {
            counts.computeIfAbsent(ByteLevel.encode(word), w -> new long[1])[0]++;
        }
    }

    /** @return the number of distinct pre-tokens seen */
    int distinctWords() {
        return counts.size();
    }

    /** @return after {@link #train}: the corpus's UTF-8 bytes per token under the learnt merges */
    double bytesPerToken() {
        return corpusTokens == 0 ? 0 : (double) corpusBytes / corpusTokens;
    }

    /** A candidate merge in the queue: its count when queued. */
    private record Candidate(long count, int left, int right) {}

    /**
     * Learns the merges.
     *
     * @param vocabularySize the largest vocabulary, specials and bytes included (at least 259)
     * @param minFrequency the least count a pair needs to be merged
     * @param specials the pad, start and end tokens (ids 0, 1, 2)
     * @param progress told the number of merges made so far, now and then
     * @return the model
     */
    BpeModel train(int vocabularySize, int minFrequency, String[] specials, LongConsumer progress) {
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (String special : specials) {
            ids.put(special, tokens.size());
            tokens.add(special);
        }
        for (int b = 0; b < BYTES; b++) {
            String symbol = String.valueOf(ByteLevel.symbol(b));
            ids.put(symbol, tokens.size());
            tokens.add(symbol);
        }
        // The words, in a fixed order, as arrays of token ids with their counts.
        List<String> keys = new ArrayList<>(counts.keySet());
        keys.sort(null);
        int[][] words = new int[keys.size()][];
        long[] frequency = new long[keys.size()];
        Map<Long, long[]> pairCount = new HashMap<>();
        Map<Long, Words> where = new HashMap<>();
        for (int w = 0; w < words.length; w++) {
            String key = keys.get(w);
            words[w] = new int[key.length()];
            for (int i = 0; i < key.length(); i++) {
                words[w][i] = SPECIALS + ByteLevel.byteOf(key.charAt(i));
            }
            frequency[w] = counts.get(key)[0];
            for (int i = 0; i + 1 < words[w].length; i++) {
                long p = BpeModel.pair(words[w][i], words[w][i + 1]);
                pairCount.computeIfAbsent(p, x -> new long[1])[0] += frequency[w];
                where.computeIfAbsent(p, x -> new Words()).add(w);
            }
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>((a, b) -> a.count() != b.count()
                ? Long.compare(b.count(), a.count())
                : a.left() != b.left() ? Integer.compare(a.left(), b.left()) : Integer.compare(a.right(), b.right()));
        pairCount.forEach((p, c) -> queue.add(new Candidate(c[0], (int) (p >>> 32), (int) (long) p)));
        List<int[]> merges = new ArrayList<>();
        Map<Long, Long> delta = new HashMap<>();
        while (tokens.size() < vocabularySize && !queue.isEmpty()) {
            Candidate top = queue.poll();
            long key = BpeModel.pair(top.left(), top.right());
            long[] current = pairCount.get(key);
            long now = current == null ? 0 : current[0];
            if (now != top.count()) {
                // stale: the count changed since it was queued
                if (now > 0) {
                    queue.add(new Candidate(now, top.left(), top.right()));
                }
                continue;
            }
            if (now < minFrequency) {
                break;
            }
            String merged = tokens.get(top.left()) + tokens.get(top.right());
            // two merge paths can spell the same token ("ab"+"c", "a"+"bc"): it keeps one id
            Integer id = ids.get(merged);
            if (id == null) {
                id = tokens.size();
                ids.put(merged, id);
                tokens.add(merged);
            }
            merges.add(new int[] {top.left(), top.right(), id});
            delta.clear();
            Words affected = where.remove(key);
            for (int a = 0; affected != null && a < affected.size; a++) {
                int w = affected.items[a];
                int[] old = words[w];
                int[] updated = merge(old, top.left(), top.right(), id);
                if (updated.length == old.length) {
                    continue; // listed twice, or an entry left over from an earlier merge
                }
                for (int i = 0; i + 1 < old.length; i++) {
                    delta.merge(BpeModel.pair(old[i], old[i + 1]), -frequency[w], Long::sum);
                }
                for (int i = 0; i + 1 < updated.length; i++) {
                    long p = BpeModel.pair(updated[i], updated[i + 1]);
                    delta.merge(p, frequency[w], Long::sum);
                    if (p != key) {
                        where.computeIfAbsent(p, x -> new Words()).add(w);
                    }
                }
                words[w] = updated;
            }
            for (Map.Entry<Long, Long> d : delta.entrySet()) {
                if (d.getValue() == 0) {
                    continue;
                }
                long[] c = pairCount.computeIfAbsent(d.getKey(), x -> new long[1]);
                c[0] += d.getValue();
                if (c[0] <= 0) {
                    pairCount.remove(d.getKey());
                } else if (d.getValue() > 0) {
                    // a count that rose needs a fresh entry; one that fell is fixed when its old entry surfaces
                    queue.add(new Candidate(c[0], (int) (d.getKey() >>> 32), (int) (long) d.getKey()));
                }
            }
            if (merges.size() % 256 == 0) {
                progress.accept(merges.size());
            }
        }
        progress.accept(merges.size());
        corpusBytes = 0;
        corpusTokens = 0;
        for (int w = 0; w < words.length; w++) {
            corpusBytes += frequency[w] * keys.get(w).length();
            corpusTokens += frequency[w] * words[w].length;
        }
        return new BpeModel(tokens.toArray(new String[0]), merges.toArray(new int[0][]), 0, 1, 2);
    }

    /**
     * The words a pair occurs in: a growable int list, not a set. A word may be listed more than
     * once or after the pair left it; merging such a word changes nothing and is skipped, which
     * is cheaper than keeping a set of boxed integers exact.
     */
    private static final class Words {
        int[] items = new int[4];
        int size;

        void add(int word) {
            if (size > 0 && items[size - 1] == word) {
                return;
            }
            if (size == items.length) {
                items = java.util.Arrays.copyOf(items, size * 2);
            }
            items[size++] = word;
        }
    }

    /** The word with every occurrence of (left, right), left to right, replaced by the merged id. */
    private static int[] merge(int[] word, int left, int right, int merged) {
        int[] out = new int[word.length];
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = word[i];
            }
        }
        return n == word.length ? word : java.util.Arrays.copyOf(out, n);
    }
}
