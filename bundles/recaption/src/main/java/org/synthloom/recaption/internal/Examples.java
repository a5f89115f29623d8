package org.synthloom.recaption.internal;

import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.Tokenizer;

/**
 * The human data as the recaptioner learns from it: per image its VQ ids and its captions' token
 * ids, and the training pairs (image, web caption, target caption): every ordered pair of two
 * different captions of one image. This stands in for CLIPS's pairs of a web caption and an MLLM's
 * caption of the same image: our human data has no MLLM captions, so the model learns to write
 * another human caption of the image from one of them.
 */
final class Examples {

    /** One image: its VQ ids and its captions' token ids. */
    record Image(String id, int[] tokens, List<int[]> captions) {}

    /** A training pair: image {@code image}, web caption {@code web}, target caption {@code target}. */
    record Pair(int image, int web, int target) {}

    final List<Image> images = new ArrayList<>();
    final List<Pair> pairs = new ArrayList<>();
    int imageTokens = -1;
    int codebookSize = -1;

    /**
     * Adds a sample; one with fewer than two captions adds an image but no pair.
     *
     * @throws IllegalArgumentException naming the sample if it has no VQ tokens or tokens of
     *     another grid or codebook than the samples before it
     */
    void add(Sample sample, Tokenizer tokenizer) {
        TokenGrid grid = tokens(sample);
        if (imageTokens < 0) {
            imageTokens = grid.ids().length;
            codebookSize = grid.codebookSize();
        } else if (grid.ids().length != imageTokens || grid.codebookSize() != codebookSize) {
            throw new IllegalArgumentException("sample " + sample.id() + " has " + grid.ids().length
                    + " VQ tokens of a codebook of " + grid.codebookSize() + ", the samples before it " + imageTokens
                    + " of " + codebookSize);
        }
        List<int[]> captions = new ArrayList<>();
        sample.captions().forEach(c -> captions.add(tokenizer.encode(c.text())));
        int index = images.size();
        images.add(new Image(sample.id(), grid.ids(), captions));
        for (int w = 0; w < captions.size(); w++) {
            for (int t = 0; t < captions.size(); t++) {
                if (w != t) {
                    pairs.add(new Pair(index, w, t));
                }
            }
        }
    }

    /**
     * @return the sample's VQ token grid
     * @throws IllegalArgumentException naming the sample and the remedy if it has none
     */
    static TokenGrid tokens(Sample sample) {
        return sample.tokens().orElseThrow(() -> new IllegalArgumentException(ClipsRecaptioner.NAME
                + ": sample " + sample.id() + " has no VQ tokens; the recaptioner reads images as VQ tokens, so the"
                + " pipeline needs an image tokenizer (image.tokenizer.target)"));
    }

    /**
     * Writes {@code start, ids..., end, pad...} into row {@code row} of a {@code (rows, width)}
     * array, cutting the ids to {@code width - 2}; the mask gets 1 at the real positions.
     */
    static void write(Tokenizer tokenizer, int[] ids, int[] tokens, int[] mask, int row, int width) {
        int offset = row * width;
        int length = Math.min(ids.length, width - 2);
        tokens[offset] = tokenizer.startId();
        System.arraycopy(ids, 0, tokens, offset + 1, length);
        tokens[offset + 1 + length] = tokenizer.endId();
        for (int j = offset + 2 + length; j < offset + width; j++) {
            tokens[j] = tokenizer.padId();
        }
        if (mask != null) {
            for (int j = offset; j < offset + width; j++) {
                mask[j] = j < offset + 2 + length ? 1 : 0;
            }
        }
    }
}
