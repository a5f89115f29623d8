package org.synthloom.example.hello;

import org.synthloom.djl.DeviceService;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** A CPU-only {@link DeviceService} over the PyTorch engine on the test class path. */
final class ClasspathDevices implements DeviceService {

    private final Engine engine = Engine.getEngine("PyTorch");

    @Override
    public Device defaultDevice() {
        return Device.cpu();
    }

    @Override
    public Device device(String name) {
        if (!name.equals("auto") && !name.equals("cpu")) {
            throw new IllegalArgumentException("only cpu in tests: " + name);
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
    public org.synthloom.djl.GradientScope newGradientScope() {
        throw new UnsupportedOperationException("not used by the hello pipeline");
    }

    @Override
    public String describe() {
        return "PyTorch on the test class path";
    }
}
