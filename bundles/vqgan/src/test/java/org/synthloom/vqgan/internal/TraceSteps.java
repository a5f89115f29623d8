package org.synthloom.vqgan.internal;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.synthloom.api.model.Fields;
import org.synthloom.api.train.LossOutput;
import org.synthloom.api.train.Objective;
import org.synthloom.api.train.TrainingOptions;
import org.synthloom.testkit.TestFitContext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Not a unit test: prints, per step of an autoencoder training like phase 1 of the test fit, the
 * checksum of the batch's images and the loss, to compare runs in different JVMs. Runs only with
 * {@code -Dvqgan.trace=<steps>} (file: {@code -Dvqgan.out}).
 */
class TraceSteps {

    @Test
    void trace() throws Exception {
        Assumptions.assumeTrue(System.getProperty("vqgan.trace") != null);
        Settings s = new Settings(16, 2, 64, 8, 0.25, 80, 160, 16, 3e-3, 150, 10);
        List<String> lines = new ArrayList<>();
        VqGanObjective inner = new VqGanObjective(64);
        Objective recording = new Objective() {
            @Override
            public Set<String> requires() {
                return inner.requires();
            }

            @Override
            public LossOutput compute(NDList outputs, NDList batch) {
                NDArray images = batch.get(Fields.IMAGES);
                LossOutput out = inner.compute(outputs, batch);
                lines.add(String.format("%.6f %.6f %.6f", images.sum().getFloat(), images.abs().max().getFloat(),
                        out.loss().getFloat()));
                return out;
            }
        };
        try (TestFitContext c = TestFitContext.builder(Files.createTempDirectory("trace"), TestImages.rectangles(16, 200, 1))
                .imageSize(16).seed(3).build()) {
            c.train("trace", new VqGanRecipe(false, () -> new VqGanBlock(s, false)), List.of(recording),
                    new TrainingOptions(Integer.getInteger("vqgan.trace"), 16, 3e-3, 0, 4));
        }
        Files.write(java.nio.file.Path.of(System.getProperty("vqgan.out", "target/trace.txt")), lines);
    }
}
