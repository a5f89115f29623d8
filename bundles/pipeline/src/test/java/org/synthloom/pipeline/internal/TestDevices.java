package org.synthloom.pipeline.internal;

import org.synthloom.djl.DeviceService;
import org.synthloom.djl.GradientScope;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/** The CPU of the PyTorch engine on the test class path (one training thread at a time, as DJL's collector allows). */
final class TestDevices implements DeviceService {

    private final Engine engine = Engine.getEngine("PyTorch");

    @Override
    public Device defaultDevice() {
        return Device.cpu();
    }

    @Override
    public Device device(String name) {
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
        GradientCollector collector = engine.newGradientCollector();
        return new GradientScope() {
            @Override
            public void backward(NDArray loss) {
                collector.backward(loss);
            }

            @Override
            public void close() {
                collector.close();
            }
        };
    }

    @Override
    public String describe() {
        return "PyTorch (test class path), cpu";
    }
}
