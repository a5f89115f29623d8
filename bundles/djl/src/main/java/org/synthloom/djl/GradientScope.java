package org.synthloom.djl;

import org.osgi.annotation.versioning.ProviderType;

import ai.djl.ndarray.NDArray;

/**
 * Records operations for automatic differentiation on the calling thread, from creation to
 * {@link #close()}. Unlike DJL's {@code GradientCollector}, of which only one may be open in a
 * JVM, scopes on different threads are independent (libtorch's grad mode is thread-local), so
 * several runs can train at once. Gradients accumulate until the optimizer zeroes them.
 */
@ProviderType
public interface GradientScope extends AutoCloseable {

    /**
     * Computes the gradients of a scalar with respect to every array that requires them.
     *
     * @param loss a scalar computed within this scope
     */
    void backward(NDArray loss);

    /** Restores the thread's previous grad mode. */
    @Override
    void close();
}
