package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

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
 * An evaluation context over a few samples whose "model" is a deterministic function. An image is
 * one grey pixel holding its class index; a text "token" is the index of the first class name it
 * contains as a word. The model embeds a text of class {@code c} as the one-hot {@code e_c} and
 * an image of class {@code c} as {@code imageEmbedding.apply(c)}. Records what it was asked.
 */
final class FakeContext extends ListContext {

    /** The pixel value of an image whose label is not a class. */
    static final int UNKNOWN = 255;

    private final IntFunction<float[]> imageEmbedding;
    final List<Integer> imageBatchSizes = new ArrayList<>();
    final List<String> tokenized = new ArrayList<>();
    int forwards;

    FakeContext(NDManager manager, List<String> classNames, List<Sample> samples, IntFunction<float[]> imageEmbedding) {
        super(manager, classNames, split -> samples);
        this.imageEmbedding = imageEmbedding;
    }

    /** The model that embeds an image of class {@code c} as {@code e_c}: perfect. */
    static IntFunction<float[]> perfect(int classes) {
        return c -> oneHot(classes, c);
    }

    static float[] oneHot(int classes, int c) {
        float[] v = new float[classes];
        v[c] = 1;
        return v;
    }

    /** A sample with a one-pixel image of its first label's class (or {@link #UNKNOWN}). */
    static Sample sample(String id, List<String> classNames, List<String> labels, String... captions) {
        int value = labels.isEmpty() || !classNames.contains(labels.get(0)) ? UNKNOWN : classNames.indexOf(labels.get(0));
        Sample.Builder b = Sample.builder(id).pixels(new ImagePixels(1, 1, 1, new byte[] {(byte) value}))
                .imageProvenance(Provenance.human("fake"));
        for (String caption : captions) {
            b.caption(new Caption(caption, Provenance.human("fake")));
        }
        labels.forEach(b::label);
        return b.build();
    }

    /** Images as {@code (B, 1)} class indices; text fields from each sample's first caption, as training picks. */
    @Override
    public NDList toBatch(List<Sample> batch) {
        imageBatchSizes.add(batch.size());
        float[] classes = new float[batch.size()];
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Sample s = batch.get(i);
            classes[i] = s.pixels().orElseThrow().data()[0] & 0xff;
            captions.add(s.captions().isEmpty() ? "" : s.captions().get(0).text());
        }
        NDArray images = manager().create(classes, new Shape(batch.size(), 1));
        images.setName(Fields.IMAGES);
        NDList fields = new NDList(images);
        fields.addAll(textFields(captions));
        return fields;
    }

    @Override
    public Tokenizer tokenizer() {
        throw new UnsupportedOperationException("the fake model reads class names, not tokens");
    }

    @Override
    public NDList tokenize(List<String> captions) {
        tokenized.addAll(captions);
        return textFields(captions);
    }

    private NDList textFields(List<String> captions) {
        int[] tokens = new int[captions.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = classOf(captions.get(i));
        }
        NDArray tokenArray = manager().create(tokens, new Shape(tokens.length, 1));
        tokenArray.setName(Fields.TEXT_TOKENS);
        NDArray mask = manager().ones(new Shape(tokens.length, 1));
        mask.setName(Fields.TEXT_MASK);
        return new NDList(tokenArray, mask);
    }

    private int classOf(String text) {
        for (int c = 0; c < classNames().size(); c++) {
            if (Pattern.compile("\\b" + Pattern.quote(classNames().get(c)) + "\\b").matcher(text).find()) {
                return c;
            }
        }
        return -1;
    }

    /** Embeds whatever fields are present, like a model that accepts a one-sided batch. */
    @Override
    public NDList forward(NDList batch) {
        forwards++;
        NDList outputs = new NDList();
        NDArray images = batch.get(Fields.IMAGES);
        if (images != null) {
            float[] classes = images.toFloatArray();
            outputs.add(embeddings(classes.length, i -> (int) classes[i] == UNKNOWN ? new float[classNames().size()]
                    : imageEmbedding.apply((int) classes[i]), Fields.IMAGE_EMBEDS));
        }
        NDArray tokens = batch.get(Fields.TEXT_TOKENS);
        if (tokens != null) {
            int[] classes = tokens.toIntArray();
            outputs.add(embeddings(classes.length, i -> classes[i] < 0 ? new float[classNames().size()]
                    : oneHot(classNames().size(), classes[i]), Fields.TEXT_EMBEDS));
        }
        NDArray scale = manager().create(100f);
        scale.setName(Fields.LOGIT_SCALE);
        outputs.add(scale);
        return outputs;
    }

    private NDArray embeddings(int rows, IntFunction<float[]> row, String name) {
        int width = classNames().size();
        float[] flat = new float[rows * width];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(row.apply(i), 0, flat, i * width, width);
        }
        NDArray array = manager().create(flat, new Shape(rows, width));
        array.setName(name);
        return array;
    }
}
