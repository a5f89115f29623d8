package org.synthloom.models.internal;

import org.synthloom.models.nn.Attention;
import org.synthloom.models.nn.Dense;
import org.synthloom.models.nn.Mlp;
import org.synthloom.models.nn.Norm;
import org.synthloom.models.nn.Params;
import org.synthloom.models.nn.Tensors;
import java.util.ArrayList;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The Perceiver Resampler of Flamingo and Synth2: a fixed number of learned latent queries that
 * cross-attend to a variable-length sequence of image features and return {@code (B, latents, W)},
 * whatever the number of features.
 *
 * <p>Forward input: {@code NDList(features)}, float32 {@code (B, M, Fin)}. Features of another width
 * than {@code W} are first projected by a Linear layer. Each of the {@code depth} layers is, as in
 * Flamingo: {@code kv = [LN(features); LN(latents)]}, {@code latents += Attention(LN(latents), kv)},
 * {@code latents += MLP(LN(latents))}. With self-attention the latents are part of the keys and
 * values (so they attend to each other and to the features in one softmax, Flamingo's design);
 * without, they attend to the features only. A final LayerNorm closes it.
 */
final class PerceiverResampler extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputWidth;
    private final int width;
    private final int latentCount;
    private final Parameter latents;
    private final Parameter inputWeight;
    private final Parameter inputBias;
    private final List<Layer> layers = new ArrayList<>();
    private final Norm finalNorm;

    /**
     * @param inputWidth width of the image features
     * @param width width of the latents (and of the output)
     * @param latentCount number of latent queries
     * @param depth number of layers
     * @param heads attention heads, dividing {@code width}
     * @param hidden hidden width of the MLPs
     * @param selfAttention whether the latents are among the keys and values
     */
    PerceiverResampler(int inputWidth, int width, int latentCount, int depth, int heads, int hidden,
            boolean selfAttention) {
        super(VERSION);
        this.inputWidth = inputWidth;
        this.width = width;
        this.latentCount = latentCount;
        latents = addParameter(Params.normal("latents", 0.02f, latentCount, width));
        boolean project = inputWidth != width;
        inputWeight = project ? addParameter(Params.weight("input_weight", width, inputWidth)) : null;
        inputBias = project ? addParameter(Params.bias("input_bias", width)) : null;
        for (int i = 0; i < depth; i++) {
            layers.add(addChildBlock("layer", new Layer(width, heads, hidden, selfAttention)));
        }
        finalNorm = addChildBlock("final_norm", new Norm(width));
    }

    /**
     * @param features {@code (B, M, Fin)}
     * @return the latents {@code (B, latents, W)}
     */
    NDArray apply(ParameterStore store, NDArray features, boolean training) {
        Shape shape = features.getShape();
        if (shape.dimension() != 3 || shape.get(2) != inputWidth) {
            throw new IllegalArgumentException("the Perceiver Resampler takes features (B, M, " + inputWidth + "), got "
                    + shape);
        }
        Device device = features.getDevice();
        if (inputWeight != null) {
            features = Dense.apply(features, store.getValue(inputWeight, device, training),
                    store.getValue(inputBias, device, training));
        }
        long b = shape.get(0);
        NDArray x = Tensors.local(store.getValue(latents, device, training).expandDims(0), features)
                .broadcast(b, latentCount, width);
        for (Layer layer : layers) {
            x = layer.apply(store, features, x, training);
        }
        return finalNorm.apply(store, x, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(store, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), latentCount, width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape features = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width);
        Shape x = new Shape(inputShapes[0].get(0), latentCount, width);
        for (Layer layer : layers) {
            layer.initialize(manager, dataType, features, x);
        }
        finalNorm.initialize(manager, dataType, x);
    }

    /** One resampler layer; forward takes {@code NDList(features, latents)} of width {@code W}. */
    static final class Layer extends AbstractBlock {

        private final boolean selfAttention;
        private final Norm featureNorm;
        private final Norm latentNorm;
        private final Attention attention;
        private final Norm mlpNorm;
        private final Mlp mlp;

        Layer(int width, int heads, int hidden, boolean selfAttention) {
            super(VERSION);
            this.selfAttention = selfAttention;
            featureNorm = addChildBlock("feature_norm", new Norm(width));
            latentNorm = addChildBlock("latent_norm", new Norm(width));
            attention = addChildBlock("attention", Attention.cross(width, heads, width));
            mlpNorm = addChildBlock("mlp_norm", new Norm(width));
            mlp = addChildBlock("mlp", new Mlp(width, hidden));
        }

        NDArray apply(ParameterStore store, NDArray features, NDArray latents, boolean training) {
            NDArray queries = latentNorm.apply(store, latents, training);
            NDArray keys = featureNorm.apply(store, features, training);
            if (selfAttention) {
                keys = NDArrays.concat(new NDList(keys, queries), 1);
            }
            NDArray x = latents.add(attention.apply(store, queries, keys, null, training));
            return x.add(mlp.apply(store, mlpNorm.apply(store, x, training), training));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(apply(store, inputs.get(0), inputs.get(1), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[1]};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            featureNorm.initialize(manager, dataType, inputShapes[0]);
            latentNorm.initialize(manager, dataType, inputShapes[1]);
            attention.initialize(manager, dataType, inputShapes[1], inputShapes[0]);
            mlpNorm.initialize(manager, dataType, inputShapes[1]);
            mlp.initialize(manager, dataType, inputShapes[1]);
        }
    }
}
