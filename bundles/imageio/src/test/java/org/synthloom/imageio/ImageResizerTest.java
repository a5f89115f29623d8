package org.synthloom.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.imageio.TestImages.assertRgb;
import static org.synthloom.imageio.TestImages.assertUniform;
import static org.synthloom.imageio.TestImages.rgb;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;

/** img2dataset's resize modes, interpolation quality and determinism. */
class ImageResizerTest {

    /** Width x height RGB: red left of x0, green from x0 to x1, blue from x1. */
    private static ImagePixels bands(int w, int h, int x0, int x1) {
        byte[] data = new byte[w * h * 3];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i += 3) {
                data[i + (x < x0 ? 0 : x < x1 ? 1 : 2)] = (byte) 255;
            }
        }
        return new ImagePixels(w, h, 3, data);
    }

    private static ImagePixels solid(int w, int h, int r, int g, int b) {
        byte[] data = new byte[w * h * 3];
        for (int i = 0; i < data.length; i += 3) {
            data[i] = (byte) r;
            data[i + 1] = (byte) g;
            data[i + 2] = (byte) b;
        }
        return new ImagePixels(w, h, 3, data);
    }

    @Test
    void documentedSizesForALandscapeImage() {
        ImagePixels image = bands(200, 100, 50, 150);
        assertSame(image, ImageResizer.resize(image, 64, ResizeMode.NO));
        assertSize(ImageResizer.resize(image, 64, ResizeMode.KEEP_RATIO), 128, 64);
        assertSize(ImageResizer.resize(image, 64, ResizeMode.CENTER_CROP), 64, 64);
        assertSize(ImageResizer.resize(image, 64, ResizeMode.BORDER), 64, 64);
    }

    @Test
    void documentedSizesForAPortraitImage() {
        ImagePixels image = solid(100, 200, 10, 20, 30);
        assertSize(ImageResizer.resize(image, 64, ResizeMode.KEEP_RATIO), 64, 128);
        assertSize(ImageResizer.resize(image, 64, ResizeMode.CENTER_CROP), 64, 64);
        ImagePixels border = ImageResizer.resize(image, 64, ResizeMode.BORDER);
        assertSize(border, 64, 64);
        // 100x200 -> 32x64, padded with 16 black columns left and right.
        for (int y = 0; y < 64; y++) {
            assertRgb(border, 0, y, 0, 0, 0, 0);
            assertRgb(border, 15, y, 0, 0, 0, 0);
            assertRgb(border, 16, y, 10, 20, 30, 0);
            assertRgb(border, 47, y, 10, 20, 30, 0);
            assertRgb(border, 48, y, 0, 0, 0, 0);
            assertRgb(border, 63, y, 0, 0, 0, 0);
        }
    }

    @Test
    void keepRatioKeepsEverything() {
        ImagePixels resized = ImageResizer.resize(bands(200, 100, 50, 150), 64, ResizeMode.KEEP_RATIO);
        assertRgb(resized, 2, 32, 255, 0, 0, 0);
        assertRgb(resized, 64, 32, 0, 255, 0, 0);
        assertRgb(resized, 125, 32, 0, 0, 255, 0);
    }

    @Test
    void centerCropKeepsTheCentre() {
        // The centred 100x100 square of this image is exactly the green band: nothing else may show.
        ImagePixels resized = ImageResizer.resize(bands(200, 100, 50, 150), 64, ResizeMode.CENTER_CROP);
        assertUniform(resized, 0, 255, 0);
    }

    @Test
    void borderPadsTopAndBottomWithBlack() {
        ImagePixels resized = ImageResizer.resize(solid(200, 100, 200, 100, 50), 64, ResizeMode.BORDER);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 16; y++) {
                assertRgb(resized, x, y, 0, 0, 0, 0);
                assertRgb(resized, x, 63 - y, 0, 0, 0, 0);
            }
            for (int y = 16; y < 48; y++) {
                assertRgb(resized, x, y, 200, 100, 50, 0);
            }
        }
    }

    @Test
    void borderColourCanBeChosen() {
        ImagePixels resized = ImageResizer.resize(bands(200, 100, 50, 150), 64, ResizeMode.BORDER, 0x336699);
        assertRgb(resized, 32, 0, 0x33, 0x66, 0x99, 0);
        assertRgb(resized, 32, 63, 0x33, 0x66, 0x99, 0);
        assertRgb(resized, 32, 32, 0, 255, 0, 0);
        assertRgb(resized, 2, 32, 255, 0, 0, 0);
    }

    @Test
    void solidColoursSurviveAnyScaleIncludingEdges() {
        assertUniform(ImageResizer.resize(solid(10, 7, 12, 200, 99), 64, ResizeMode.KEEP_RATIO), 12, 200, 99);
        assertUniform(ImageResizer.resize(solid(301, 203, 12, 200, 99), 64, ResizeMode.KEEP_RATIO), 12, 200, 99);
        assertUniform(ImageResizer.scale(solid(1000, 3, 12, 200, 99), 7, 50), 12, 200, 99);
    }

    @Test
    void upscalingKeepsTheLayout() {
        ImagePixels resized = ImageResizer.resize(bands(32, 16, 16, 32), 64, ResizeMode.KEEP_RATIO);
        assertSize(resized, 128, 64);
        assertRgb(resized, 10, 30, 255, 0, 0, 0);
        assertRgb(resized, 117, 30, 0, 255, 0, 0);
    }

    /**
     * Vertical stripes, one white column in three, average to 85. Successive halvings keep every
     * output pixel near that; a single 8x bilinear step samples two of every eight columns and
     * aliases into stripes of black, grey and white.
     */
    @Test
    void largeDownscalesDoNotAlias() {
        int size = 512;
        byte[] data = new byte[size * size * 3];
        for (int y = 0, i = 0; y < size; y++) {
            for (int x = 0; x < size; x++, i += 3) {
                byte v = (byte) (x % 3 == 2 ? 255 : 0);
                data[i] = v;
                data[i + 1] = v;
                data[i + 2] = v;
            }
        }
        ImagePixels stripes = new ImagePixels(size, size, 3, data);
        ImagePixels resized = ImageResizer.resize(stripes, 64, ResizeMode.CENTER_CROP);
        int[] range = range(resized);
        assertTrue(range[0] >= 55 && range[1] <= 115, "min " + range[0] + " max " + range[1]);

        // The same scale in one bilinear step, to show the test can tell the difference.
        BufferedImage naive = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = naive.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(ImageCodec.toBufferedImage(stripes), 0, 0, 64, 64, null);
        g.dispose();
        int[] naiveRange = range(ImageCodec.fromBufferedImage(naive));
        assertTrue(naiveRange[0] < 55 || naiveRange[1] > 115, "naive min " + naiveRange[0] + " max " + naiveRange[1]);
    }

    private static int[] range(ImagePixels image) {
        int min = 255;
        int max = 0;
        for (byte b : image.data()) {
            min = Math.min(min, b & 0xFF);
            max = Math.max(max, b & 0xFF);
        }
        return new int[] {min, max};
    }

    @Test
    void resizingIsDeterministic() {
        byte[] data = new byte[301 * 199 * 3];
        new Random(11).nextBytes(data);
        ImagePixels image = new ImagePixels(301, 199, 3, data);
        for (ResizeMode mode : ResizeMode.values()) {
            for (int size : new int[] {17, 64, 256, 640}) {
                assertArrayEquals(ImageResizer.resize(image, size, mode).data(),
                        ImageResizer.resize(image, size, mode).data(), mode + " " + size);
            }
        }
    }

    @Test
    void greyStaysGrey() {
        byte[] data = new byte[120 * 80];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 120 < 60 ? 40 : 220);
        }
        ImagePixels grey = new ImagePixels(120, 80, 1, data);
        ImagePixels resized = ImageResizer.resize(grey, 32, ResizeMode.KEEP_RATIO);
        assertEquals(1, resized.channels());
        assertSize(resized, 48, 32);
        assertEquals(40, rgb(resized, 2, 16)[0]);
        assertEquals(220, rgb(resized, 45, 16)[0]);
        ImagePixels bordered = ImageResizer.resize(grey, 32, ResizeMode.BORDER, 0xFFFFFF);
        assertEquals(1, bordered.channels());
        assertEquals(255, rgb(bordered, 16, 0)[0]);
    }

    @Test
    void invalidArguments() {
        ImagePixels image = solid(4, 4, 0, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> ImageResizer.resize(image, 0, ResizeMode.BORDER));
        assertThrows(IllegalArgumentException.class, () -> ImageResizer.scale(image, 4, -1));
        assertThrows(NullPointerException.class, () -> ImageResizer.resize(image, 4, null));
        // A 1-pixel-high sliver would need a 64000000 x 64 result: refuse instead of exhausting memory.
        ImagePixels sliver = new ImagePixels(1_000_000, 1, 1, new byte[1_000_000]);
        assertThrows(IllegalArgumentException.class, () -> ImageResizer.resize(sliver, 64, ResizeMode.KEEP_RATIO));
    }

    private static void assertSize(ImagePixels image, int w, int h) {
        assertEquals(w + "x" + h, image.width() + "x" + image.height());
    }
}
