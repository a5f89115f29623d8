package org.synthloom.testkit;

import org.synthloom.djl.DeviceService;
import org.synthloom.djl.GradientScope;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The device service a plugin gets in the runtime, over the PyTorch engine on the test class path:
 * CPU only, offline. Gradient scopes are per thread, as in the runtime.
 */
public final class ClasspathDevices implements DeviceService {

    private final Engine engine;

    /** Loads the engine (offline: it never downloads). */
    public ClasspathDevices() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        this.engine = Engine.getEngine("PyTorch");
    }

    @Override
    public Device defaultDevice() {
        return Device.cpu();
    }

    /**
     * @param name {@code auto} or {@code cpu}
     * @throws IllegalArgumentException for any other name: tests run on the CPU
     */
    @Override
    public Device device(String name) {
        String n = name == null ? "" : name.trim();
        if (!n.equalsIgnoreCase("auto") && !n.equalsIgnoreCase("cpu")) {
            throw new IllegalArgumentException("device '" + name + "' is not available in tests: use auto or cpu");
        }
        return Device.cpu();
    }

    @Override
    public int gpuCount() {
        return 0;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public NDManager newManager(Device device) {
        return engine.newBaseManager(device);
    }

    @Override
    public GradientScope newGradientScope() {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        return new GradientScope() {
            @Override
            public void backward(NDArray loss) {
                try (NDArray seed = loss.onesLike()) {
                    JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
                }
            }

            @Override
            public void close() {
                JniUtils.setGradMode(previous);
            }
        };
    }

    @Override
    public String describe() {
        return "PyTorch " + engine.getVersion() + " on the test class path, cpu()";
    }
}
