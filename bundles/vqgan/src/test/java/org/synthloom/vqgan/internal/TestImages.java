package org.synthloom.vqgan.internal;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Dataset;
import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.data.SampleSource;
import org.synthloom.testkit.Configs;

/**
 * Test images: the shapes world's train split, as the pipeline's human data would hold it, and
 * simpler generated ones (a coloured rectangle on a flat background) for the fast learning test.
 */
final class TestImages {

    private TestImages() {}

    /**
     * @param size image side
     * @param count number of samples
     * @return the first {@code count} samples of the shapes world's train split at that size
     */
    static List<Sample> shapes(int size, int count) {
        // The shapes world keeps its classes private to its bundle; the tests build it as DS would.
        try {
            @SuppressWarnings("unchecked")
            Class<Annotation> configType = (Class<Annotation>) Class.forName("org.synthloom.shapes.internal.ShapesWorldConfig");
            Object config = Configs.of(configType, Map.of("image.size", size, "train.size", count));
            Dataset world = (Dataset) Class.forName("org.synthloom.shapes.internal.ShapesWorldDataset")
                    .getConstructor(configType).newInstance(config);
            List<Sample> out = new ArrayList<>(count);
            try (SampleSource source = world.open("train")) {
                for (Optional<Sample> s = source.next(); s.isPresent(); s = source.next()) {
                    out.add(s.get());
                }
            }
            return out;
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("the shapes world could not be built for the tests", e);
        }
    }

    /** Flat, well separated colours (RGB) of the generated images. */
    private static final int[][] PALETTE = {
        {230, 40, 40}, {40, 200, 60}, {40, 70, 230}, {240, 220, 40}, {245, 245, 245}, {20, 20, 20}, {40, 210, 220},
        {250, 140, 20},
    };

    /**
     * @param size image side
     * @param count number of samples
     * @param seed drives colours, sizes and positions
     * @return human samples, each an axis-aligned rectangle of a palette colour (sides from a
     *     quarter to a little over half the image) on a background of another, with a caption
     */
    static List<Sample> rectangles(int size, int count, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<Sample> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int background = random.nextInt(PALETTE.length);
            int foreground = (background + 1 + random.nextInt(PALETTE.length - 1)) % PALETTE.length;
            int w = size / 4 + random.nextInt(size / 3);
            int h = size / 4 + random.nextInt(size / 3);
            int x0 = random.nextInt(size - w + 1);
            int y0 = random.nextInt(size - h + 1);
            byte[] data = new byte[size * size * 3];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inside = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
                    int[] c = PALETTE[inside ? foreground : background];
                    for (int k = 0; k < 3; k++) {
                        data[3 * (y * size + x) + k] = (byte) c[k];
                    }
                }
            }
            out.add(Sample.builder("rectangle-" + n).pixels(new ImagePixels(size, size, 3, data))
                    .caption(new Caption("a rectangle", Provenance.human("rectangles")))
                    .imageProvenance(Provenance.human("rectangles")).build());
        }
        return out;
    }

    /** @return the PSNR in dB of 8-bit RGB pixels against an image, in [0, 1] pixel space */
    static double psnr(ImagePixels original, byte[] pixels) {
        byte[] a = original.data();
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = ((a[i] & 0xff) - (pixels[i] & 0xff)) / 255.0;
            sum += d * d;
        }
        return -10 * Math.log10(Math.max(1e-10, sum / a.length));
    }

    /** @return the trivial tokenizer's output: every pixel of an RGB image replaced by its mean colour */
    static byte[] meanColour(ImagePixels image) {
        byte[] a = image.data();
        double[] mean = new double[3];
        for (int i = 0; i < a.length; i++) {
            mean[i % 3] += (a[i] & 0xff) / (a.length / 3.0);
        }
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) Math.round(mean[i % 3]);
        }
        return out;
    }

    /**
     * @return the mean PSNR of a tokenizer's reconstructions and of the mean-colour baseline, in
     *     dB, over the images
     */
    static double[] psnrAndBaseline(org.synthloom.api.model.ImageTokenizer fitted, List<ImagePixels> images,
            ai.djl.ndarray.NDManager manager) {
        List<ImagePixels> decoded = fitted.decode(fitted.encode(images, manager), manager);
        double model = 0;
        double baseline = 0;
        for (int i = 0; i < images.size(); i++) {
            model += psnr(images.get(i), decoded.get(i).data());
            baseline += psnr(images.get(i), meanColour(images.get(i)));
        }
        return new double[] {model / images.size(), baseline / images.size()};
    }

    /** @return the pixels of the samples */
    static List<ImagePixels> pixels(List<Sample> samples) {
        return samples.stream().map(s -> s.pixels().orElseThrow()).toList();
    }
}
