package org.synthloom.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** Loads the real engine from the jars on the test class path, offline (see the surefire settings). */
class TorchRuntimeTest {

    private static TorchRuntimeConfig config(String device) {
        return new TorchRuntimeConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TorchRuntimeConfig.class;
            }

            @Override
            public String device() {
                return device;
            }

            @Override
            public int intraop_threads() {
                return 0;
            }

            @Override
            public int interop_threads() {
                return 0;
            }
        };
    }

    @Test
    void loadsPyTorchOfflineAndComputesOnTheCpu() {
        TorchRuntime runtime = new TorchRuntime();
        runtime.activate(config("auto"), Map.of());
        assertEquals("PyTorch", runtime.engine().getEngineName());
        assertTrue(runtime.engine().getVersion().startsWith("2.7.1"), runtime.engine().getVersion());
        assertEquals(runtime.gpuCount() > 0 ? Device.gpu(0) : Device.cpu(), runtime.defaultDevice());
        try (NDManager manager = runtime.newManager(Device.cpu())) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            // [[1,2],[3,4]] times its transpose is [[5,11],[11,25]]
            assertEquals(52f, a.matMul(a.transpose()).sum().getFloat(), 1e-5);
        }
    }

    @Test
    void trainingALinearModelOnTheEngineReducesItsLoss() {
        TorchRuntime runtime = new TorchRuntime();
        runtime.activate(config("cpu"), Map.of());
        runtime.engine().setRandomSeed(7);
        // y = 2 x0 - 3 x1 + 1 on a fixed batch: a linear layer fits it exactly.
        float[] x = {0.5f, -1f, 1f, 0.25f, -0.75f, 0.5f, 0f, 1f};
        float[] y = new float[4];
        for (int i = 0; i < 4; i++) {
            y[i] = 2 * x[2 * i] - 3 * x[2 * i + 1] + 1;
        }
        try (Model model = Model.newInstance("linear", Device.cpu(), "PyTorch")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build());
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(4, 2));
                NDManager manager = trainer.getManager();
                NDArray inputs = manager.create(x, new Shape(4, 2));
                NDArray targets = manager.create(y, new Shape(4, 1));
                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 0; step < 60; step++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray prediction = trainer.forward(new NDList(inputs)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(targets), new NDList(prediction));
                        collector.backward(loss);
                        last = loss.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                    }
                    trainer.step();
                }
                assertTrue(last < first / 100, "loss fell from " + first + " to " + last);
            }
        }
    }

    @Test
    void reactivationAfterABundleRestartReusesTheLoadedEngine() {
        TorchRuntime first = new TorchRuntime();
        first.activate(config("cpu"), Map.of());
        TorchRuntime second = new TorchRuntime();
        second.activate(config("cpu"), Map.of());
        assertTrue(first.engine() == second.engine(), "one engine per JVM");
        assertTrue(second.describe().startsWith("PyTorch 2.7.1"), second.describe());
    }

    @Test
    void anUnavailableDeviceInTheConfigurationIsRejectedAndTheRuntimeKeepsItsDevice() {
        TorchRuntime runtime = new TorchRuntime();
        runtime.activate(config("gpu:7"), Map.of("felix.fileinstall.filename", "file:/x/org.synthloom.djl.cfg"));
        assertEquals(runtime.device("auto"), runtime.defaultDevice(), "falls back to auto at activation");
        runtime.modified(config("cpu"), Map.of());
        assertEquals(Device.cpu(), runtime.defaultDevice());
        runtime.modified(config("tpu"), Map.of());
        assertEquals(Device.cpu(), runtime.defaultDevice(), "a bad change keeps the previous device");
    }

    @Test
    void gradientScopesOnTwoThreadsWorkAtTheSameTime() throws Exception {
        TorchRuntime runtime = new TorchRuntime();
        runtime.activate(config("cpu"), Map.of());
        java.util.concurrent.CyclicBarrier bothOpen = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Float> gradient = () -> {
            try (NDManager manager = runtime.newManager(Device.cpu())) {
                NDArray w = manager.create(new float[] {3f});
                w.setRequiresGradient(true);
                try (org.synthloom.djl.GradientScope scope = runtime.newGradientScope()) {
                    bothOpen.await();
                    scope.backward(w.square().sum());
                }
                return w.getGradient().getFloat(0);
            }
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Float> a = pool.submit(gradient);
            java.util.concurrent.Future<Float> b = pool.submit(gradient);
            assertEquals(6f, a.get(), 1e-6f, "d(w^2)/dw at 3");
            assertEquals(6f, b.get(), 1e-6f);
        } finally {
            pool.shutdown();
        }
    }
}
