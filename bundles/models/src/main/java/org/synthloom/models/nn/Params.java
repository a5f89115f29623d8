package org.synthloom.models.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * Parameter factories for the transformer blocks. Every shape is fixed when the block is built,
 * so a block can load saved parameters without being initialised first, and the initialisers are
 * explicit rather than DJL's per-type defaults (He normal for every weight).
 */
public final class Params {

    /** Glorot/Xavier uniform, {@code U(-a, a)} with {@code a = sqrt(6 / (fan_in + fan_out))}, as PyTorch's attention. */
    private static final Initializer GLOROT = new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
            XavierInitializer.FactorType.AVG, 3f);

    private Params() {}

    /** A weight matrix {@code (out, in)} (or kernel {@code (out, in, ...)}) with Glorot uniform initialisation. */
    public static Parameter weight(String name, long... shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(shape))
                .optInitializer(GLOROT).build();
    }

    /** A bias vector, zeros. */
    public static Parameter bias(String name, long size) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BIAS).optShape(new Shape(size))
                .optInitializer(Initializer.ZEROS).build();
    }

    /** An embedding table, learned positions or a learned query, from {@code N(0, std^2)}. */
    public static Parameter normal(String name, float std, long... shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(shape))
                .optInitializer(new NormalInitializer(std)).build();
    }

    /** A LayerNorm scale, ones. */
    public static Parameter gamma(String name, long size) {
        return Parameter.builder().setName(name).setType(Parameter.Type.GAMMA).optShape(new Shape(size))
                .optInitializer(Initializer.ONES).build();
    }

    /** A LayerNorm shift, zeros. */
    public static Parameter beta(String name, long size) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BETA).optShape(new Shape(size))
                .optInitializer(Initializer.ZEROS).build();
    }
}
