package org.synthloom.vqgan.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.data.Sample;
import org.synthloom.testkit.Configs;
import org.synthloom.testkit.TestFitContext;

/**
 * Not a unit test: measures a fit with the default configuration on 1000 shapes-world images (the
 * figures of the README), and its reconstructions of 100 further images of the split that the fit
 * never saw. Runs only with {@code -Dvqgan.measure=64} (or 32, the image size).
 */
class MeasureDefaults {

    @Test
    void fitWithTheDefaults(@TempDir Path dir) throws Exception {
        String size = System.getProperty("vqgan.measure");
        Assumptions.assumeTrue(size != null, "set -Dvqgan.measure=<image size> to measure");
        int imageSize = Integer.parseInt(size);
        int count = Integer.getInteger("vqgan.images", 1000);
        Map<String, Object> overrides = new java.util.HashMap<>();
        for (String p : List.of("channels", "codebook.size", "embedding.dim", "autoencoder.steps", "steps",
                "batch.size", "learning.rate", "kmeans.samples")) {
            String v = System.getProperty("vqgan." + p);
            if (v != null) {
                overrides.put(p, v);
            }
        }
        // 100 more images of the same split that the fit never sees: the truly held-out figure
        List<Sample> all = TestImages.shapes(imageSize, count + 100);
        List<Sample> samples = all.subList(0, count);
        List<org.synthloom.api.data.ImagePixels> unseen = TestImages.pixels(all.subList(count, count + 100));
        VqGan vqgan = new VqGan("measure", Settings.of(Configs.of(VqGanConfig.class, overrides)));
        var bean = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime();
        long cpu = bean.getProcessCpuTime();
        try (TestFitContext context = TestFitContext.builder(dir, samples).imageSize(imageSize).build()) {
            org.synthloom.api.model.ImageTokenizer fitted = vqgan.fit(context);
            System.out.printf("%dx%d, %d images, %s: %.1f s in all, cpu %.1f s%n  %s%n  ae loss %s -> %s, vq loss %s -> %s%n",
                    imageSize, imageSize, count, overrides, (System.nanoTime() - start) / 1e9,
                    (bean.getProcessCpuTime() - cpu) / 1e9, context.reported("vqgan"),
                    first(context.losses("vqgan-ae")), last(context.losses("vqgan-ae")), first(context.losses("vqgan")),
                    last(context.losses("vqgan")));
            double[] psnr = TestImages.psnrAndBaseline(fitted, unseen, context.manager());
            System.out.printf("  100 unseen images: PSNR %.2f dB (8-bit round trip), mean colour %.2f dB%n", psnr[0], psnr[1]);
            List<org.synthloom.api.data.ImagePixels> originals = unseen.subList(0, 12);
            var decoded = fitted.decode(fitted.encode(originals, context.manager()), context.manager());
            java.awt.image.BufferedImage sheet = new java.awt.image.BufferedImage(imageSize * originals.size(),
                    imageSize * 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < originals.size(); i++) {
                draw(sheet, originals.get(i), i * imageSize, 0);
                draw(sheet, decoded.get(i), i * imageSize, imageSize);
            }
            java.nio.file.Path out = java.nio.file.Path.of("target", "vqgan-" + imageSize + ".png");
            javax.imageio.ImageIO.write(sheet, "png", out.toFile());
            System.out.println("  unseen originals over reconstructions: " + out.toAbsolutePath());
        }
    }

    private static void draw(java.awt.image.BufferedImage sheet, org.synthloom.api.data.ImagePixels p, int x0, int y0) {
        byte[] d = p.data();
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                int i = 3 * (y * p.width() + x);
                sheet.setRGB(x0 + x, y0 + y, (d[i] & 0xff) << 16 | (d[i + 1] & 0xff) << 8 | (d[i + 2] & 0xff));
            }
        }
    }

    private static String first(List<Double> l) {
        return l.isEmpty() ? "-" : String.format("%.3f", l.subList(0, Math.min(10, l.size())).stream()
                .mapToDouble(Double::doubleValue).average().orElse(0));
    }

    private static String last(List<Double> l) {
        return l.isEmpty() ? "-" : String.format("%.3f", l.subList(Math.max(0, l.size() - 10), l.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(0));
    }
}
