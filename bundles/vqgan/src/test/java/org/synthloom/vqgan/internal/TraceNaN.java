package org.synthloom.vqgan.internal;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Sample;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.testkit.TestFitContext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * Not a unit test: the two phases of the test fit with a loss that checks, at every step, whether
 * the batch, the outputs and the model's parameters are finite, and prints the first step where one
 * is not. Runs only with {@code -Dvqgan.tracenan} (learning rate {@code -Dvqgan.lr}, default 0.003); to chase the NaN described in the README.
 */
class TraceNaN {

    @Test
    void trace() throws Exception {
        Assumptions.assumeTrue(System.getProperty("vqgan.tracenan") != null);
        double lr = Double.parseDouble(System.getProperty("vqgan.lr", "3e-3"));
        Settings s = new Settings(16, 2, 64, 8, 0.25, 80, 160, 16, lr, 150, 10);
        List<Sample> samples = TestImages.rectangles(16, 200, 1);
        try (TestFitContext c = TestFitContext.builder(Files.createTempDirectory("tracenan"), samples).imageSize(16).seed(3)
                .build()) {
            AtomicReference<VqGanBlock> current = new AtomicReference<>();
            VqGanBlock ae = (VqGanBlock) c.train("vqgan-ae", new VqGanRecipe(false, () -> {
                current.set(new VqGanBlock(s, false));
                return current.get();
            }), List.of(checking("ae", current)), new TrainingOptions(80, 16, lr, 0, 4));
            NDArray codebook;
            try (NDManager scope = c.manager().newSubManager()) {
                List<NDArray> parts = new ArrayList<>();
                for (int i = 0; i + 50 <= 150; i += 50) {
                    NDArray z = ae.encode(new ParameterStore(scope, false),
                            Pixels.normalised(TestImages.pixels(samples.subList(i, i + 50)), 16, scope), false, null);
                    parts.add(z.stopGradient().transpose(0, 2, 3, 1).reshape(-1, 8));
                }
                codebook = KMeans.fit(ai.djl.ndarray.NDArrays.concat(new NDList(parts), 0), 64, 10, 3, c.manager());
            }
            NDArray initial = codebook;
            c.train("vqgan", new VqGanRecipe(true, () -> {
                current.set(VqGanBlock.continuing(ae, s, initial));
                return current.get();
            }), List.of(checking("vq", current)), new TrainingOptions(160, 16, lr, 0, 8));
            System.out.println("tracenan: finished; vq losses end " + c.losses("vqgan").subList(150, 160));
        }
    }

    private static Objective checking(String phase, AtomicReference<VqGanBlock> model) {
        VqGanObjective inner = new VqGanObjective(64);
        int[] step = {0};
        boolean[] reported = {false};
        return new Objective() {
            @Override
            public Set<String> requires() {
                return inner.requires();
            }

            @Override
            public LossOutput compute(NDList outputs, NDList batch) {
                LossOutput out = inner.compute(outputs, batch);
                if (!reported[0]) {
                    List<String> bad = new ArrayList<>();
                    if (!finite(batch.get(Fields.IMAGES))) {
                        bad.add("batch images");
                    }
                    if (!finite(outputs.get(VqGanBlock.RECONSTRUCTION))) {
                        bad.add("reconstruction");
                    }
                    if (!finite(outputs.get(VqGanBlock.VQ_LOSS))) {
                        bad.add("vq_loss");
                    }
                    for (var p : model.get().getParameters()) {
                        NDArray a = p.getValue().getArray();
                        if (!finite(a)) {
                            bad.add(p.getKey());
                        }
                        if (System.getProperty("vqgan.tracenan.grads") != null && a.hasGradient()) {
                            NDArray g = a.getGradient();
                            if (!finite(g)) {
                                bad.add("grad(before backward) " + p.getKey());
                            }
                            g.close();
                        }
                    }
                    if (!bad.isEmpty() || !Float.isFinite(out.loss().getFloat())) {
                        System.out.println("tracenan: " + phase + " step " + step[0] + " loss " + out.loss().getFloat()
                                + " non-finite: " + bad);
                        reported[0] = true;
                    }
                }
                if (step[0] % 20 == 19) {
                    System.out.printf("tracenan: %s step %d loss %.3f vq_loss %.3f batch_psnr %.2f%n", phase, step[0],
                            out.loss().getFloat(), out.metrics().get("vq_loss").getFloat(),
                            out.metrics().get("batch_psnr").getFloat());
                }
                step[0]++;
                return out;
            }
        };
    }

    private static boolean finite(NDArray a) {
        try (NDManager scope = a.getManager().newSubManager()) {
            NDArray v = a.stopGradient();
            v.attach(scope);
            return !v.isNaN().logicalOr(v.isInfinite()).any().getBoolean();
        }
    }
}
