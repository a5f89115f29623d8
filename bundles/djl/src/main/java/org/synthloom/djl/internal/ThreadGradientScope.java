package org.synthloom.djl.internal;

import org.synthloom.djl.GradientScope;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** A gradient scope on libtorch's thread-local grad mode, without DJL's JVM-wide collector flag. */
final class ThreadGradientScope implements GradientScope {

    private final boolean previous;
    private final Thread owner = Thread.currentThread();

    ThreadGradientScope() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    @Override
    public void backward(NDArray loss) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a gradient scope is used on the thread that opened it only");
        }
        try (NDArray seed = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
