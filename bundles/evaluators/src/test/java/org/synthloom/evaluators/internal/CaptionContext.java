package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.synthloom.api.data.Caption;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.Tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An evaluation context with a captioning "model" given as a Java function of the image and the
 * prefix. Words are tokens (ids 3.. in order of the vocabulary; 0 pad, 1 start, 2 end); an image
 * is one grey pixel holding its key. {@code forward} computes {@code caption_logits}
 * {@code (B, context, V)}: at every real position {@code t} (mask 1) the model's logits for the
 * first {@code t + 1} tokens, at padding logits that favour the start token (which no caption
 * contains), so reading a padded position shows. It checks that every batch is a well-formed
 * prefix (ones then zeros in the mask, padding tokens behind it) and records what it saw.
 */
final class CaptionContext extends ListContext {

    static final int PAD = 0;
    static final int START = 1;
    static final int END = 2;

    /** Next-token logits over the vocabulary for an image key and a prefix (start token first). */
    interface Model {
        float[] next(int image, int[] prefix);
    }

    private final List<String> vocabulary;
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final int contextLength;
    private Model model;
    final List<Integer> forwardRows = new ArrayList<>();
    final List<String> malformed = new ArrayList<>();

    CaptionContext(NDManager manager, List<String> vocabulary, int contextLength, List<Sample> samples, Model model) {
        super(manager, List.of(), split -> samples);
        this.vocabulary = vocabulary;
        for (String word : vocabulary) {
            ids.put(word, ids.size() + 3);
        }
        this.contextLength = contextLength;
        this.model = model;
    }

    /** The words of all the texts, in order of first occurrence. */
    static List<String> vocabulary(List<String> texts) {
        List<String> words = new ArrayList<>();
        for (String text : texts) {
            for (String word : text.split(" ")) {
                if (!word.isEmpty() && !words.contains(word)) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    /** A sample showing image {@code key} with human captions, and optionally a synthetic one first. */
    static Sample sample(String id, int key, List<String> human, String synthetic) {
        Sample.Builder b = Sample.builder(id).pixels(new ImagePixels(1, 1, 1, new byte[] {(byte) key}))
                .imageProvenance(Provenance.human("fake"));
        if (synthetic != null) {
            b.caption(new Caption(synthetic, Provenance.synthetic("template", "1.0.0", 1)));
        }
        human.forEach(text -> b.caption(new Caption(text, Provenance.human("fake"))));
        return b.build();
    }

    /**
     * A context whose model says, for image {@code k}, exactly {@code captions.get(k)}: logit 5
     * for the caption's next word (or the end token after it), 0 for everything else; the end
     * token once the prefix leaves the caption.
     */
    static CaptionContext saying(NDManager manager, List<String> vocabulary, int contextLength, List<Sample> samples,
            List<String> captions) {
        CaptionContext context = new CaptionContext(manager, vocabulary, contextLength, samples, null);
        List<int[]> encoded = captions.stream().map(context.tokenizer()::encode).toList();
        context.model = (image, prefix) -> {
            int[] caption = encoded.get(image);
            int generated = prefix.length - 1;
            boolean onTrack = generated <= caption.length
                    && Arrays.equals(Arrays.copyOfRange(prefix, 1, prefix.length), Arrays.copyOf(caption, generated));
            float[] logits = new float[context.vocabularySize()];
            logits[onTrack && generated < caption.length ? caption[generated] : END] = 5f;
            return logits;
        };
        return context;
    }

    int vocabularySize() {
        return vocabulary.size() + 3;
    }

    int id(String word) {
        return ids.get(word);
    }

    /** Images as {@code (B, 1)} keys; the text fields of each first caption, as training builds them. */
    @Override
    public NDList toBatch(List<Sample> batch) {
        float[] keys = new float[batch.size()];
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = batch.get(i).pixels().orElseThrow().data()[0] & 0xff;
            captions.add(batch.get(i).captions().get(0).text());
        }
        NDArray images = manager().create(keys, new Shape(keys.length, 1));
        images.setName(Fields.IMAGES);
        NDList fields = new NDList(images);
        fields.addAll(tokenize(captions));
        return fields;
    }

    @Override
    public Tokenizer tokenizer() {
        return new Tokenizer() {
            @Override
            public int vocabularySize() {
                return CaptionContext.this.vocabularySize();
            }

            @Override
            public int[] encode(String text) {
                // Words outside the vocabulary (human captions with punctuation) are left out.
                return Arrays.stream(text.split(" ")).filter(ids::containsKey).mapToInt(ids::get).toArray();
            }

            @Override
            public String decode(int[] tokens) {
                List<String> words = new ArrayList<>();
                for (int id : tokens) {
                    if (id >= 3) {
                        words.add(vocabulary.get(id - 3));
                    }
                }
                return String.join(" ", words);
            }

            @Override
            public int padId() {
                return PAD;
            }

            @Override
            public int startId() {
                return START;
            }

            @Override
            public int endId() {
                return END;
            }
        };
    }

    @Override
    public NDList tokenize(List<String> captions) {
        int[] tokens = new int[captions.size() * contextLength];
        int[] mask = new int[tokens.length];
        for (int i = 0; i < captions.size(); i++) {
            int[] ids = tokenizer().encode(captions.get(i));
            int length = Math.min(ids.length, contextLength - 2);
            tokens[i * contextLength] = START;
            System.arraycopy(ids, 0, tokens, i * contextLength + 1, length);
            tokens[i * contextLength + 1 + length] = END;
            Arrays.fill(mask, i * contextLength, i * contextLength + length + 2, 1);
        }
        NDArray tokenArray = manager().create(tokens, new Shape(captions.size(), contextLength));
        tokenArray.setName(Fields.TEXT_TOKENS);
        NDArray maskArray = manager().create(mask, new Shape(captions.size(), contextLength));
        maskArray.setName(Fields.TEXT_MASK);
        return new NDList(tokenArray, maskArray);
    }

    @Override
    public NDList forward(NDList batch) {
        float[] keys = batch.get(Fields.IMAGES).toFloatArray();
        int[] tokens = batch.get(Fields.TEXT_TOKENS).toIntArray();
        int[] mask = batch.get(Fields.TEXT_MASK).toIntArray();
        int rows = keys.length;
        int v = vocabularySize();
        forwardRows.add(rows);
        float[] logits = new float[rows * contextLength * v];
        for (int r = 0; r < rows; r++) {
            int length = 0;
            while (length < contextLength && mask[r * contextLength + length] == 1) {
                length++;
            }
            for (int t = 0; t < contextLength; t++) {
                boolean real = t < length;
                if (real != (mask[r * contextLength + t] == 1) || !real && tokens[r * contextLength + t] != PAD
                        || t == 0 && tokens[r * contextLength] != START) {
                    malformed.add("row " + r + " position " + t + " of " + Arrays.toString(
                            Arrays.copyOfRange(tokens, r * contextLength, (r + 1) * contextLength)));
                }
                float[] next;
                if (real) {
                    next = model.next((int) keys[r], Arrays.copyOfRange(tokens, r * contextLength, r * contextLength + t + 1));
                } else {
                    next = new float[v];
                    next[START] = 50f;
                }
                System.arraycopy(next, 0, logits, (r * contextLength + t) * v, v);
            }
        }
        NDArray array = manager().create(logits, new Shape(rows, contextLength, v));
        array.setName(Fields.CAPTION_LOGITS);
        return new NDList(array);
    }
}
