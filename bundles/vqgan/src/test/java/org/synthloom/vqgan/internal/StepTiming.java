package org.synthloom.vqgan.internal;

import java.lang.management.ManagementFactory;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.synthloom.djl.GradientScope;
import org.synthloom.testkit.ClasspathDevices;
import org.synthloom.testkit.Configs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** Not a unit test: times forward + backward of one step. Runs only with {@code -Dvqgan.timing=<image size>}. */
class StepTiming {

    @Test
    void time() {
        String size = System.getProperty("vqgan.timing");
        Assumptions.assumeTrue(size != null, "set -Dvqgan.timing=<image size>");
        int s = Integer.parseInt(size);
        int batch = Integer.getInteger("vqgan.batch", 32);
        Settings settings = Settings.of(Configs.of(VqGanConfig.class,
                Map.of("channels", Integer.getInteger("vqgan.channels", 64))));
        ClasspathDevices devices = new ClasspathDevices();
        var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (NDManager manager = devices.newManager(ai.djl.Device.cpu())) {
            VqGanBlock block = new VqGanBlock(settings, true);
            block.initialize(manager, DataType.FLOAT32, new Shape(batch, 3, s, s));
            block.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            NDArray x = manager.randomNormal(new Shape(batch, 3, s, s));
            for (int i = 0; i < 13; i++) {
                long wall = System.nanoTime();
                long cpu = bean.getProcessCpuTime();
                try (NDManager step = manager.newSubManager(); GradientScope g = devices.newGradientScope()) {
                    NDList out = block.forward(new ParameterStore(step, false), new NDList(x), true);
                    NDArray loss = out.get(0).sub(x).abs().mean().add(out.get(1));
                    g.backward(loss);
                    loss.getFloat();
                }
                if (i >= 3) {
                    System.out.printf("step %d: wall %.3f s, cpu %.3f s%n", i, (System.nanoTime() - wall) / 1e9,
                            (bean.getProcessCpuTime() - cpu) / 1e9);
                }
            }
        }
    }
}
