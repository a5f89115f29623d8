package org.synthloom.vqgan.internal;

import org.synthloom.api.train.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * The vector quantiser: a codebook of {@code K} vectors of width {@code D} (one parameter), the
 * nearest code of each encoder output, VQ-VAE's loss and the straight-through estimator.
 *
 * <p>Forward input: encoder outputs {@code z}, float32 {@code (B, D, g, g)}. Output, in order:
 * {@code z_q = z + sg(e - z)} (the codes' vectors in the forward pass, the identity for the
 * gradient), {@code (B, D, g, g)}; the VQ loss {@code mean((sg(z) - e)^2) + beta mean((z - sg(e))^2)}
 * (codebook term and commitment term), a scalar; the codes, int64 {@code (B, g * g)}, row-major.
 */
final class Quantizer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int codes;
    private final int dim;
    private final float beta;
    private final Parameter codebook;

    /**
     * @param codes codebook size {@code K}
     * @param dim code width {@code D}
     * @param beta commitment weight
     */
    Quantizer(int codes, int dim, float beta) {
        super(VERSION);
        this.codes = codes;
        this.dim = dim;
        this.beta = beta;
        // No shape here: it is set in prepare() unless preset() gave the array (DJL's setArray refuses
        // a parameter whose shape is set). The random initialisation is VQ-VAE's uniform(-1/K, 1/K).
        this.codebook = addParameter(Parameter.builder().setName("codebook").setType(Parameter.Type.WEIGHT)
                .optInitializer(new UniformInitializer(1f / codes)).build());
    }

    /**
     * Sets the codebook before the block is initialised (k-means centres): DJL's initialisation
     * keeps a parameter's array once it has one.
     *
     * @param vectors float32 {@code (K, D)}; becomes the parameter's array
     * @throws IllegalArgumentException if the shape is not {@code (K, D)}
     */
    void preset(NDArray vectors) {
        if (!vectors.getShape().equals(new Shape(codes, dim))) {
            throw new IllegalArgumentException("a codebook of " + codes + " x " + dim + " was expected, got "
                    + vectors.getShape());
        }
        codebook.setArray(vectors);
    }

    /** @return the codebook parameter */
    Parameter codebook() {
        return codebook;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        if (!codebook.isInitialized()) {
            codebook.setShape(new Shape(codes, dim));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        Shape shape = z.getShape();
        long batch = shape.get(0);
        long rows = shape.get(2);
        long columns = shape.get(3);
        NDArray table = parameterStore.getValue(codebook, z.getDevice(), training);
        NDArray flat = z.transpose(0, 2, 3, 1).reshape(-1, dim);
        NDArray index = nearest(flat, table);
        // The gather as a one-hot product, so that the codebook term's gradient reaches the table.
        NDArray e = index.oneHot(codes).matMul(table);
        NDArray codebookTerm = flat.stopGradient().sub(e).square().mean();
        NDArray commitment = flat.sub(e.stopGradient()).square().mean();
        // beta as a tensor libtorch owns: autograd keeps the factor for the backward pass, and a Number
        // operand would be a Java buffer the garbage collector may free before then (random NaN)
        NDArray loss = codebookTerm.add(commitment.mul(Scalars.like(commitment, beta)));
        NDArray straightThrough = flat.add(e.sub(flat).stopGradient());
        NDArray quantised = straightThrough.reshape(batch, rows, columns, dim).transpose(0, 3, 1, 2);
        return new NDList(quantised, loss, index.reshape(batch, rows * columns));
    }

    /**
     * @param flat vectors {@code (M, D)}
     * @param table codebook {@code (K, D)}
     * @return the index of each vector's nearest code (squared Euclidean distance), int64
     *     {@code (M)}, in the manager of {@code flat}
     */
    static NDArray nearest(NDArray flat, NDArray table) {
        NDArray x = flat.stopGradient();
        return squaredDistances(x, detached(table, x.getManager())).argMin(1).toType(DataType.INT64, false);
    }

    /**
     * A detached view of an array, owned by {@code manager}. An operation's result belongs to the
     * manager of its receiver, so operations on a parameter's array would leave their results in
     * the model's manager until the run ends; operating on this view keeps them in the step's.
     */
    static NDArray detached(NDArray array, NDManager manager) {
        NDArray view = array.stopGradient();
        view.attach(manager);
        return view;
    }

    /**
     * @param x vectors {@code (M, D)}
     * @param table codes {@code (K, D)}
     * @return {@code |x|^2 - 2 x.E^T + |E|^2}, {@code (M, K)}: one matrix product instead of an
     *     {@code (M, K, D)} difference
     */
    static NDArray squaredDistances(NDArray x, NDArray table) {
        NDArray rows = x.square().sum(new int[] {1}, true);
        NDArray columns = table.square().sum(new int[] {1}).expandDims(0);
        return rows.sub(x.matMul(table.transpose()).mul(2)).add(columns);
    }

    /**
     * Looks codes up.
     *
     * @param table codebook {@code (K, D)}
     * @param codes int64 {@code (B, g * g)}
     * @param grid {@code g}
     * @return their vectors as {@code (B, D, g, g)}
     */
    NDArray lookup(NDArray table, NDArray codes, long grid) {
        long batch = codes.getShape().get(0);
        return codes.reshape(-1).oneHot(this.codes).matMul(table).reshape(batch, grid, grid, dim).transpose(0, 3, 1, 2);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape z = inputShapes[0];
        return new Shape[] {z, new Shape(), new Shape(z.get(0), z.get(2) * z.get(3))};
    }
}
