package org.synthloom.vqgan.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Sample;
import org.synthloom.testkit.TestFitContext;

/**
 * Not a unit test: repeats the fit of {@code VqGanFitTest} {@code -Dvqgan.diag=N} times in one JVM
 * (optionally at {@code -Dvqgan.lr}) and prints each fit's PSNR or failure and its VQ losses (the
 * first ten, every twentieth and the first non-finite one), to chase the intermittent divergence
 * described in the README.
 */
class DiagnoseNaN {

    @Test
    void run() throws Exception {
        Assumptions.assumeTrue(System.getProperty("vqgan.diag") != null);
        List<Sample> samples = TestImages.rectangles(16, 200, 1);
        for (int r = 0; r < Integer.getInteger("vqgan.diag"); r++) {
            Settings s = new Settings(16, 2, 64, 8, 0.25, 80, 160, 16, Double.parseDouble(System.getProperty("vqgan.lr", "3e-3")), 150, 10);
            Path dir = Files.createTempDirectory("diag");
            try (TestFitContext c = TestFitContext.builder(dir, samples).imageSize(16).seed(3).build()) {
                try {
                    new VqGan("t", s).fit(c);
                    System.out.println("run " + r + " ok " + c.reported("vqgan").get("psnr"));
                } catch (IllegalStateException e) {
                    System.out.println("run " + r + " " + e.getMessage());
                }
                List<Double> l = c.losses("vqgan");
                StringBuilder b = new StringBuilder("  vq losses:");
                for (int i = 0; i < l.size(); i++) {
                    if (i < 12 || !Double.isFinite(l.get(i)) && (i == 0 || Double.isFinite(l.get(i - 1))) || i % 20 == 0) {
                        b.append(' ').append(i).append('=').append(String.format("%.3g", l.get(i)));
                    }
                }
                System.out.println(b);
                List<Double> a = c.losses("vqgan-ae");
                System.out.println("  ae first/last " + a.get(0) + " " + a.get(a.size() - 1));
            }
        }
    }
}
