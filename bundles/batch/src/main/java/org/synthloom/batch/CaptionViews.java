package org.synthloom.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.synthloom.api.model.Tokenizer;

/**
 * Which text views of its caption a training image is paired with (CLIPS): the full caption, a
 * sentence-level sub-caption, or a random or contiguous subset of its tokens, each within a token
 * budget; several views per image, optionally with the full caption among them. The views of one
 * image share its caption group, so a multi-positive objective treats full and partial captions as
 * positives of each other. Immutable and thread safe; every choice comes from the
 * {@link SplittableRandom} the caller seeds.
 */
public final class CaptionViews {

    /** How a view is cut from the caption. */
    public enum Mode {
        /** The whole caption (cut only by the context length). */
        FULL,
        /**
         * A random contiguous run of whole sentences whose token count fits the budget; when no
         * sentence fits, the first sentence truncated to the budget.
         */
        SUB,
        /** A random subset of the caption's tokens, at most the budget, kept in order. */
        RANDOM_MASK,
        /** A random contiguous block of the caption's tokens, at most the budget long. */
        BLOCK_MASK;

        /**
         * @param value {@code full}, {@code sub}, {@code random-mask} or {@code block-mask} (case and
         *     surrounding blanks ignored; {@code _} for {@code -} accepted)
         * @return the mode
         * @throws IllegalArgumentException naming the value and the modes
         */
        public static Mode parse(String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Mode mode : values()) {
                if (mode.label().equals(v)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("caption view '" + value + "' is not one of full, sub, random-mask, block-mask");
        }

        /** @return the name configurations use, e.g. {@code random-mask} */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A sentence ends at {@code .}, {@code !} or {@code ?} (repeated, possibly closed by a quote or bracket) before blanks. */
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+[\"')\\]]*(?=\\s|$)");

    private static final CaptionViews FULL = new CaptionViews(Mode.FULL, 32, 1, false);

    private final Mode mode;
    private final int tokens;
    private final int views;
    private final boolean includeFull;

    private CaptionViews(Mode mode, int tokens, int views, boolean includeFull) {
        this.mode = mode;
        this.tokens = tokens;
        this.views = views;
        this.includeFull = includeFull;
    }

    /** @return one full caption per image: the batches as they were before views existed */
    public static CaptionViews full() {
        return FULL;
    }

    /**
     * @param mode how each view is cut
     * @param tokens the token budget of a partial view (start and end tokens not counted); positive
     * @param views views cut with {@code mode} per image; positive
     * @param includeFull whether the full caption is one more view of each image (ignored for
     *     {@link Mode#FULL})
     * @return the views
     * @throws IllegalArgumentException if the budget or the view count is not positive
     */
    public static CaptionViews of(Mode mode, int tokens, int views, boolean includeFull) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("the caption view budget must be positive tokens, not " + tokens);
        }
        if (views <= 0) {
            throw new IllegalArgumentException("the number of caption views must be positive, not " + views);
        }
        return new CaptionViews(mode, tokens, views, includeFull && mode != Mode.FULL);
    }

    /** @return how views are cut */
    public Mode mode() {
        return mode;
    }

    /** @return the token budget of a partial view */
    public int tokens() {
        return tokens;
    }

    /** @return the views cut with {@link #mode()} per image (the full caption not counted) */
    public int views() {
        return views;
    }

    /** @return the views per image, the full caption included when {@link #includesFull()} */
    public int rowsPerImage() {
        return views + (includeFull ? 1 : 0);
    }

    /** @return whether the full caption is one of each image's views */
    public boolean includesFull() {
        return includeFull;
    }

    /** @return whether every view is partial, so no row needs more than the budget */
    public boolean allPartial() {
        return mode != Mode.FULL && !includeFull;
    }

    /**
     * Cuts one view.
     *
     * @param tokenizer the tokenizer (budgets count its tokens)
     * @param caption the full caption
     * @param view the view's index among the image's {@link #rowsPerImage()}; with
     *     {@link #includesFull()} index 0 is the full caption
     * @param random the source of the view's choices
     * @return the view's token ids, without start and end; partial views hold at most
     *     {@link #tokens()} ids
     */
    int[] cut(Tokenizer tokenizer, String caption, int view, SplittableRandom random) {
        if (mode == Mode.FULL || includeFull && view == 0) {
            return tokenizer.encode(caption);
        }
        return switch (mode) {
            case SUB -> subCaption(tokenizer, caption, random);
            case RANDOM_MASK -> randomMask(tokenizer.encode(caption), random);
            case BLOCK_MASK -> block(tokenizer.encode(caption), random);
            case FULL -> throw new AssertionError();
        };
    }

    /**
     * A random run of whole sentences within the budget: a random start among the sentences that
     * fit alone, extended over the following sentences while the run (the caption's own text from
     * the first sentence to the last, spacing kept) still fits, so the view uses as much of the
     * budget as whole sentences allow.
     */
    private int[] subCaption(Tokenizer tokenizer, String caption, SplittableRandom random) {
        List<int[]> spans = sentenceSpans(caption);
        List<Integer> fitting = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            if (tokenizer.encode(text(caption, spans, i, i)).length <= tokens) {
                fitting.add(i);
            }
        }
        if (fitting.isEmpty()) {
            int[] first = tokenizer.encode(spans.isEmpty() ? caption : text(caption, spans, 0, 0));
            return Arrays.copyOf(first, Math.min(first.length, tokens));
        }
        int start = fitting.get(random.nextInt(fitting.size()));
        int[] run = tokenizer.encode(text(caption, spans, start, start));
        for (int end = start + 1; end < spans.size(); end++) {
            int[] longer = tokenizer.encode(text(caption, spans, start, end));
            if (longer.length > tokens) {
                break;
            }
            run = longer;
        }
        return run;
    }

    private static String text(String caption, List<int[]> spans, int first, int last) {
        return caption.substring(spans.get(first)[0], spans.get(last)[1]);
    }

    /**
     * The caption's sentences, trimmed, in order; text after the last sentence end is a sentence
     * too. Blank captions have none.
     */
    static List<String> sentences(String caption) {
        List<String> sentences = new ArrayList<>();
        for (int[] span : sentenceSpans(caption)) {
            sentences.add(caption.substring(span[0], span[1]));
        }
        return sentences;
    }

    /** {@code [begin, end)} of each sentence in the caption, surrounding blanks excluded. */
    private static List<int[]> sentenceSpans(String caption) {
        List<int[]> spans = new ArrayList<>();
        Matcher end = SENTENCE_END.matcher(caption);
        int from = 0;
        while (end.find()) {
            add(spans, caption, from, end.end());
            from = end.end();
        }
        add(spans, caption, from, caption.length());
        return spans;
    }

    private static void add(List<int[]> spans, String caption, int begin, int end) {
        while (begin < end && Character.isWhitespace(caption.charAt(begin))) {
            begin++;
        }
        while (end > begin && Character.isWhitespace(caption.charAt(end - 1))) {
            end--;
        }
        if (begin < end) {
            spans.add(new int[] {begin, end});
        }
    }

    /** {@code budget} positions drawn without replacement (a partial Fisher-Yates shuffle), kept in order. */
    private int[] randomMask(int[] ids, SplittableRandom random) {
        if (ids.length <= tokens) {
            return ids;
        }
        int[] positions = new int[ids.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        for (int i = 0; i < tokens; i++) {
            int j = i + random.nextInt(ids.length - i);
            int swap = positions[i];
            positions[i] = positions[j];
            positions[j] = swap;
        }
        int[] kept = Arrays.copyOf(positions, tokens);
        Arrays.sort(kept);
        int[] view = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            view[i] = ids[kept[i]];
        }
        return view;
    }

    private int[] block(int[] ids, SplittableRandom random) {
        if (ids.length <= tokens) {
            return ids;
        }
        int start = random.nextInt(ids.length - tokens + 1);
        return Arrays.copyOfRange(ids, start, start + tokens);
    }

    @Override
    public String toString() {
        return mode.label() + (mode == Mode.FULL ? "" : "/" + tokens) + " x" + views + (includeFull ? " +full" : "");
    }
}
