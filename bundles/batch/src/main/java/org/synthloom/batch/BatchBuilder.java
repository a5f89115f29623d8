package org.synthloom.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.Tokenizer;
import org.synthloom.imageio.ImageResizer;
import org.synthloom.imageio.ResizeMode;

/**
 * Turns samples into a {@link HostBatch} the way the engine feeds every model, so that a plugin's
 * tests can build the same batches: images as normalised CHW floats ({@link Fields#IMAGES}), VQ
 * token ids, one caption per sample tokenised as {@code start, tokens..., end, pad...} and padded
 * to the context length with its mask, class indices ({@code -1} when a label is not a class), and
 * caption groups (samples with the same caption text are positives of each other). With
 * {@link #withViews(CaptionViews) caption views} (CLIPS), a training image contributes one row per
 * text view of its caption, all in the image's caption group. Pure and thread safe, so loader
 * threads build batches in parallel.
 */
public final class BatchBuilder {

    private static final float[] MEAN = Fields.imageMean();
    private static final float[] STD = Fields.imageStd();
    /** Keeps the views' random choices independent of the caption choice drawn from the same seed. */
    private static final long VIEW_SALT = 0x5EED_C11F_5A17L;

    private final Tokenizer tokenizer;
    private final List<String> classNames;
    private final int imageSize;
    private final ResizeMode resizeMode;
    private final int contextLength;
    private final boolean pixels;
    private final boolean tokens;
    private final long seed;
    private final CaptionViews views;

    /**
     * @param tokenizer the text tokenizer
     * @param classNames the class names labels are indexed in
     * @param imageSize side of the square images in pixels; other sizes are resized
     * @param resizeMode how images of another size are brought to it ({@code NO} crops to the centre)
     * @param contextLength caption tokens per sample, start and end included
     * @param pixels whether the batch carries {@link Fields#IMAGES}
     * @param tokens whether the batch carries {@link Fields#IMAGE_TOKENS}
     * @param seed chooses, reproducibly, which caption of a sample with several a batch uses
     */
    public BatchBuilder(Tokenizer tokenizer, List<String> classNames, int imageSize, ResizeMode resizeMode,
            int contextLength, boolean pixels, boolean tokens, long seed) {
        this(tokenizer, classNames, imageSize, resizeMode, contextLength, pixels, tokens, seed, CaptionViews.full());
    }

    private BatchBuilder(Tokenizer tokenizer, List<String> classNames, int imageSize, ResizeMode resizeMode,
            int contextLength, boolean pixels, boolean tokens, long seed, CaptionViews views) {
        this.tokenizer = tokenizer;
        this.classNames = classNames;
        this.imageSize = imageSize;
        this.resizeMode = resizeMode == ResizeMode.NO ? ResizeMode.CENTER_CROP : resizeMode;
        this.contextLength = contextLength;
        this.pixels = pixels;
        this.tokens = tokens;
        this.seed = seed;
        this.views = views;
    }

    /**
     * The same builder with other caption views for training batches (evaluation batches, index
     * {@code -1}, always take one full caption per sample).
     *
     * @param captionViews the views of each training image's caption
     * @return a builder that cuts them
     * @since 1.1
     */
    public BatchBuilder withViews(CaptionViews captionViews) {
        return new BatchBuilder(tokenizer, classNames, imageSize, resizeMode, contextLength, pixels, tokens, seed,
                java.util.Objects.requireNonNull(captionViews, "captionViews"));
    }

    /** @return the caption views of training batches */
    public CaptionViews views() {
        return views;
    }

    /** @return the text tokenizer captions go through */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Builds a batch: one row per sample, or, for a training batch with caption views, one row per
     * view of each sample's caption ({@link CaptionViews#rowsPerImage()} consecutive rows sharing
     * the sample's image, id, label and caption group). When every view is partial the text
     * fields are only as wide as the budget needs ({@code min(context, budget + 2)}).
     *
     * @param samples the batch's samples
     * @param batchIndex picks, reproducibly, which caption of each sample this batch uses and how
     *     its views are cut; negative always takes the first caption, whole (evaluation)
     * @return the batch
     * @throws IllegalArgumentException if a sample lacks what the batch carries (pixels, tokens of
     *     the same count, a caption to train on); the message names the sample
     */
    public HostBatch build(List<Sample> samples, long batchIndex) {
        int rows = batchIndex < 0 ? 1 : views.rowsPerImage();
        int width = batchIndex >= 0 && views.allPartial() ? Math.min(contextLength, views.tokens() + 2) : contextLength;
        int n = samples.size() * rows;
        int imageFloats = 3 * imageSize * imageSize;
        List<String> ids = new ArrayList<>(n);
        float[] images = pixels ? new float[n * imageFloats] : null;
        int tokensPerImage = tokens && n > 0 ? samples.get(0).tokens().map(t -> t.ids().length).orElse(0) : 0;
        int[] imageTokens = tokens ? new int[n * tokensPerImage] : null;
        int[] textTokens = new int[n * width];
        int[] textMask = new int[n * width];
        int[] labels = new int[n];
        int[] groups = new int[n];
        for (int s = 0; s < samples.size(); s++) {
            Sample sample = samples.get(s);
            int first = s * rows;
            if (pixels) {
                writeImage(sample, images, first);
            }
            if (tokens) {
                TokenGrid grid = sample.tokens().orElseThrow(() -> new IllegalArgumentException("sample " + sample.id()
                        + " has no VQ tokens, which the model reads"));
                if (grid.ids().length != tokensPerImage) {
                    throw new IllegalArgumentException("sample " + sample.id() + " has " + grid.ids().length + " tokens, others "
                            + tokensPerImage);
                }
                System.arraycopy(grid.ids(), 0, imageTokens, first * tokensPerImage, tokensPerImage);
            }
            String caption = caption(sample, batchIndex);
            int label = sample.labels().isEmpty() ? -1 : classNames.indexOf(sample.labels().get(0));
            // Seeded per sample and batch, so a view is reproducible and differs from batch to batch.
            SplittableRandom random = rows == 1 && views.mode() == CaptionViews.Mode.FULL ? null
                    : new SplittableRandom(mix(mix(seed ^ VIEW_SALT ^ sample.id().hashCode()) + batchIndex));
            for (int v = 0; v < rows; v++) {
                int row = first + v;
                ids.add(sample.id());
                if (v > 0 && pixels) {
                    System.arraycopy(images, first * imageFloats, images, row * imageFloats, imageFloats);
                }
                if (v > 0 && tokens) {
                    System.arraycopy(imageTokens, first * tokensPerImage, imageTokens, row * tokensPerImage, tokensPerImage);
                }
                int[] text = batchIndex < 0 || random == null ? tokenizer.encode(caption)
                        : views.cut(tokenizer, caption, v, random);
                tokenize(text, textTokens, textMask, row, width);
                labels[row] = label;
                // The full caption's group: an image's views, and every image of the caption, are positives.
                groups[row] = caption.hashCode();
            }
        }
        return new HostBatch(ids, images, imageSize, imageTokens, tokensPerImage, textTokens, textMask, width,
                labels, groups);
    }

    /**
     * Tokenises texts alone (for zero-shot prompts and text retrieval).
     *
     * @param texts the texts
     * @return a batch with only the text fields, labels and groups filled
     */
    public HostBatch texts(List<String> texts) {
        int n = texts.size();
        int[] textTokens = new int[n * contextLength];
        int[] textMask = new int[n * contextLength];
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tokenize(tokenizer.encode(texts.get(i)), textTokens, textMask, i, contextLength);
            ids.add("text-" + i);
        }
        return new HostBatch(ids, null, imageSize, null, 0, textTokens, textMask, contextLength, new int[n], new int[n]);
    }

    private String caption(Sample sample, long batchIndex) {
        if (sample.captions().isEmpty()) {
            if (batchIndex < 0) {
                return ""; // evaluation of labelled, uncaptioned data (zero-shot, linear probe) reads no caption
            }
            throw new IllegalArgumentException("sample " + sample.id() + " has no caption to train on");
        }
        if (batchIndex < 0 || sample.captions().size() == 1) {
            return sample.captions().get(0).text();
        }
        long pick = mix(mix(seed ^ sample.id().hashCode()) + batchIndex);
        return sample.captions().get((int) Math.floorMod(pick, (long) sample.captions().size())).text();
    }

    /** SplitMix64's finaliser: a well-mixed long from any long. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Writes {@code start, ids..., end, pad...} into a row of {@code width}, cutting ids to fit. */
    private void tokenize(int[] ids, int[] tokens, int[] mask, int row, int width) {
        int offset = row * width;
        int length = Math.min(ids.length, width - 2);
        tokens[offset] = tokenizer.startId();
        System.arraycopy(ids, 0, tokens, offset + 1, length);
        tokens[offset + 1 + length] = tokenizer.endId();
        for (int j = offset + 2 + length; j < offset + width; j++) {
            tokens[j] = tokenizer.padId();
        }
        for (int j = offset; j < offset + 2 + length; j++) {
            mask[j] = 1;
        }
    }

    private void writeImage(Sample sample, float[] images, int row) {
        ImagePixels image = sample.pixels().orElseThrow(() -> new IllegalArgumentException("sample " + sample.id()
                + " has no pixels, which the model reads"));
        if (image.width() != imageSize || image.height() != imageSize) {
            image = ImageResizer.resize(image, imageSize, resizeMode);
            if (image.width() != imageSize || image.height() != imageSize) {
                image = ImageResizer.resize(image, imageSize, ResizeMode.CENTER_CROP);
            }
        }
        byte[] data = image.data();
        int plane = imageSize * imageSize;
        int base = row * 3 * plane;
        int channels = image.channels();
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                int value = data[p * channels + (channels == 1 ? 0 : c)] & 0xff;
                images[base + c * plane + p] = (value / 255f - MEAN[c]) / STD[c];
            }
        }
    }
}
