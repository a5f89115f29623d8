package org.synthloom.evaluators.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.synthloom.api.data.Embedding;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.model.Fields;
import org.synthloom.api.model.Tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An evaluation context with splits of labelled samples whose "image" is its embedding: the
 * model returns each sample's {@link Sample#embedding()} as its {@code image_embeds}.
 */
final class ProbeContext extends ListContext {


    ProbeContext(NDManager manager, List<String> classNames, Map<String, List<Sample>> splits) {
        super(manager, classNames, split -> splits.getOrDefault(split, List.of()));
    }

    /** A sample labelled {@code label} (none if null) showing {@code embedding}. */
    static Sample sample(String id, String label, float[] embedding) {
        Sample.Builder b = Sample.builder(id).embedding(new Embedding(embedding, new int[] {embedding.length}, "fake"))
                .imageProvenance(Provenance.human("fake"));
        if (label != null) {
            b.label(label);
        }
        return b.build();
    }

    /**
     * {@code n} samples with labels drawn uniformly from the classes and embeddings from
     * {@code embedding(label, random)}.
     */
    static List<Sample> samples(String prefix, int n, List<String> classes, long seed, Embedder embedder) {
        Random random = new Random(seed);
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(classes.size());
            samples.add(sample(prefix + i, classes.get(label), embedder.embed(label, random)));
        }
        return samples;
    }

    /** Draws an embedding for a class. */
    interface Embedder {
        float[] embed(int label, Random random);
    }

    /** The embeddings as {@code images} {@code (B, D)}. */
    @Override
    public NDList toBatch(List<Sample> samples) {
        float[][] rows = samples.stream().map(s -> s.embedding().orElseThrow().values()).toArray(float[][]::new);
        NDArray images = manager().create(Embeddings.flatten(rows), new Shape(rows.length, rows[0].length));
        images.setName(Fields.IMAGES);
        return new NDList(images);
    }

    @Override
    public Tokenizer tokenizer() {
        throw new UnsupportedOperationException("the probe reads images only");
    }

    @Override
    public NDList tokenize(List<String> captions) {
        throw new UnsupportedOperationException("the probe reads images only");
    }

    @Override
    public NDList forward(NDList batch) {
        NDArray embeds = batch.get(Fields.IMAGES).duplicate();
        embeds.setName(Fields.IMAGE_EMBEDS);
        return new NDList(embeds);
    }
}
