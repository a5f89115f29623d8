package org.synthloom.vqgan.internal;

import org.synthloom.api.model.Fields;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The VQ-GAN generator: encoder, vector quantiser, decoder. Built without the quantiser it is the
 * plain autoencoder of the warm-up phase.
 *
 * <p>Forward input: {@code images}, float32 {@code (B, 3, S, S)} normalised as {@link Fields#IMAGES}
 * (found by name, else the only array). Output, named: {@value #RECONSTRUCTION} {@code (B, 3, S, S)}
 * in the same normalised space; {@value #VQ_LOSS}, a scalar (0 without quantiser); and, with the
 * quantiser, {@value #CODES}, int64 {@code (B, g * g)}.
 */
final class VqGanBlock extends AbstractBlock {

    /** Output: the decoded images, normalised as the input. */
    static final String RECONSTRUCTION = "reconstruction";
    /** Output: the quantiser's codebook + commitment loss, a scalar. */
    static final String VQ_LOSS = "vq_loss";
    /** Output: the code of each grid cell, row-major. */
    static final String CODES = "codes";

    private static final byte VERSION = 1;

    private final Block encoder;
    private final Quantizer quantizer;
    private final Block decoder;

    /**
     * A new, uninitialised model.
     *
     * @param settings the architecture
     * @param quantize whether to quantise (false: the autoencoder of the warm-up)
     */
    VqGanBlock(Settings settings, boolean quantize) {
        this(Layers.encoder(settings), quantize ? quantizer(settings) : null, Layers.decoder(settings));
    }

    private VqGanBlock(Block encoder, Quantizer quantizer, Block decoder) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", encoder);
        this.quantizer = quantizer == null ? null : addChildBlock("quantizer", quantizer);
        this.decoder = addChildBlock("decoder", decoder);
    }

    private static Quantizer quantizer(Settings s) {
        return new Quantizer(s.codebookSize(), s.embeddingDim(), (float) s.beta());
    }

    /**
     * The VQ model that continues from a trained autoencoder: it shares the autoencoder's encoder
     * and decoder blocks, whose parameters (already initialised) DJL's initialisation keeps, and
     * starts from the given codebook.
     *
     * @param autoencoder the trained warm-up model, built without quantiser
     * @param settings the architecture
     * @param codebook float32 {@code (K, D)}, e.g. k-means centres of the encoder's outputs
     * @return the new model; initialising it keeps the given parameters
     */
    static VqGanBlock continuing(VqGanBlock autoencoder, Settings settings, NDArray codebook) {
        if (autoencoder.quantizer != null) {
            throw new IllegalArgumentException("the warm-up model must be a plain autoencoder");
        }
        Quantizer quantizer = quantizer(settings);
        quantizer.preset(codebook);
        return new VqGanBlock(autoencoder.encoder, quantizer, autoencoder.decoder);
    }

    /** @return whether the model quantises */
    boolean quantizes() {
        return quantizer != null;
    }

    /** @return the quantiser; only for a model that quantises */
    Quantizer quantizer() {
        if (quantizer == null) {
            throw new IllegalStateException("the autoencoder has no quantiser");
        }
        return quantizer;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray images = inputs.get(Fields.IMAGES);
        if (images == null) {
            images = inputs.singletonOrThrow();
        }
        NDArray z = encode(parameterStore, images, training, params);
        NDList out = new NDList(3);
        if (quantizer == null) {
            out.add(named(decode(parameterStore, z, training, params), RECONSTRUCTION));
            out.add(named(images.getManager().zeros(new Shape(), DataType.FLOAT32, images.getDevice()), VQ_LOSS));
            return out;
        }
        NDList q = quantizer.forward(parameterStore, new NDList(z), training, params);
        out.add(named(decode(parameterStore, q.get(0), training, params), RECONSTRUCTION));
        out.add(named(q.get(1), VQ_LOSS));
        out.add(named(q.get(2), CODES));
        return out;
    }

    /**
     * @param images normalised {@code (B, 3, S, S)}
     * @return encoder outputs {@code (B, D, g, g)}, before quantisation
     */
    NDArray encode(ParameterStore parameterStore, NDArray images, boolean training, PairList<String, Object> params) {
        return encoder.forward(parameterStore, new NDList(images), training, params).singletonOrThrow();
    }

    /**
     * @param latents {@code (B, D, g, g)}
     * @return decoded images {@code (B, 3, S, S)}, normalised
     */
    NDArray decode(ParameterStore parameterStore, NDArray latents, boolean training, PairList<String, Object> params) {
        return decoder.forward(parameterStore, new NDList(latents), training, params).singletonOrThrow();
    }

    /**
     * Inference: the codes of images.
     *
     * @param images normalised {@code (B, 3, S, S)}
     * @return int64 {@code (B, g * g)}
     */
    NDArray codes(ParameterStore parameterStore, NDArray images) {
        NDArray z = encode(parameterStore, images, false, null);
        return quantizer().forward(parameterStore, new NDList(z), false).get(2);
    }

    /**
     * Inference: images from codes.
     *
     * @param codes int64 {@code (B, g * g)}
     * @param grid {@code g}
     * @return normalised images {@code (B, 3, S, S)}
     */
    NDArray images(ParameterStore parameterStore, NDArray codes, long grid) {
        NDArray table = parameterStore.getValue(quantizer().codebook(), codes.getDevice(), false);
        return decode(parameterStore, quantizer.lookup(table, codes, grid), false, null);
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] latent = encoder.getOutputShapes(inputShapes);
        Shape reconstruction = decoder.getOutputShapes(latent)[0];
        if (quantizer == null) {
            return new Shape[] {reconstruction, new Shape()};
        }
        Shape[] q = quantizer.getOutputShapes(latent);
        return new Shape[] {reconstruction, q[1], q[2]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        Shape[] latent = encoder.getOutputShapes(inputShapes);
        if (quantizer != null) {
            quantizer.initialize(manager, dataType, latent);
        }
        decoder.initialize(manager, dataType, latent);
    }
}
