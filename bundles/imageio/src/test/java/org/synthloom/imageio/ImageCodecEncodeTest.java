package org.synthloom.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.imageio.TestImages.assertRgb;
import static org.synthloom.imageio.TestImages.rgb;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;

/** Encoding, and conversion to and from Java2D images. */
class ImageCodecEncodeTest {

    private static ImagePixels noise(int w, int h, int channels, long seed) {
        byte[] data = new byte[w * h * channels];
        new Random(seed).nextBytes(data);
        return new ImagePixels(w, h, channels, data);
    }

    private static ImagePixels gradient(int w, int h) {
        byte[] data = new byte[w * h * 3];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                data[i++] = (byte) (x * 255 / (w - 1));
                data[i++] = (byte) (y * 255 / (h - 1));
                data[i++] = (byte) 128;
            }
        }
        return new ImagePixels(w, h, 3, data);
    }

    @Test
    void pngRoundTripIsLossless() throws Exception {
        ImagePixels image = noise(37, 23, 3, 1);
        byte[] png = ImageCodec.encodePng(image);
        assertEquals((byte) 0x89, png[0]);
        ImagePixels decoded = ImageCodec.decode(png, "noise.png");
        assertEquals(image, decoded);
        assertArrayEquals(image.data(), decoded.data());
    }

    @Test
    void greyPngRoundTripGivesThreeEqualChannels() throws Exception {
        ImagePixels grey = noise(16, 9, 1, 2);
        byte[] png = ImageCodec.encodePng(grey);
        assertEquals(0, png[25], "written as a grey PNG");
        ImagePixels decoded = ImageCodec.decode(png, "grey.png");
        for (int i = 0; i < grey.data().length; i++) {
            byte v = grey.data()[i];
            assertEquals(v, decoded.data()[3 * i]);
            assertEquals(v, decoded.data()[3 * i + 1]);
            assertEquals(v, decoded.data()[3 * i + 2]);
        }
    }

    @Test
    void jpegRoundTripIsClose() throws Exception {
        ImagePixels image = gradient(64, 48);
        byte[] good = ImageCodec.encodeJpeg(image, 0.95f);
        byte[] poor = ImageCodec.encodeJpeg(image, 0.1f);
        assertTrue(TestImages.hasMarker(good, 0xD8) && TestImages.hasMarker(good, 0xC0));
        assertTrue(poor.length < good.length, poor.length + " vs " + good.length);
        ImagePixels decoded = ImageCodec.decode(good, "gradient.jpg");
        long error = 0;
        for (int i = 0; i < image.data().length; i++) {
            error += Math.abs((image.data()[i] & 0xFF) - (decoded.data()[i] & 0xFF));
        }
        double mean = (double) error / image.data().length;
        assertTrue(mean < 3, "mean absolute error " + mean);
    }

    @Test
    void greyJpeg() throws Exception {
        byte[] grey = new byte[32 * 16];
        java.util.Arrays.fill(grey, (byte) 70);
        ImagePixels decoded = ImageCodec.decode(ImageCodec.encodeJpeg(new ImagePixels(32, 16, 1, grey), 0.9f), "g.jpg");
        assertRgb(decoded, 10, 10, 70, 70, 70, 2);
    }

    @Test
    void jpegQualityIsValidated() {
        ImagePixels image = noise(8, 8, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodeJpeg(image, -0.01f));
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodeJpeg(image, 1.01f));
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodeJpeg(image, Float.NaN));
        ImageCodec.encodeJpeg(image, 0f);
        ImageCodec.encodeJpeg(image, 1f);
    }

    @Test
    void smallPngsEncodeFast() {
        // Shards are written one small PNG at a time: a 64 x 64 image must take about a
        // millisecond at most. Best of several batches, so a busy machine does not fail the test.
        ImagePixels image = noise(64, 64, 3, 4);
        for (int i = 0; i < 2000; i++) {
            ImageCodec.encodePng(image);
        }
        double best = Double.MAX_VALUE;
        for (int batch = 0; batch < 5; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                ImageCodec.encodePng(image);
            }
            best = Math.min(best, (System.nanoTime() - start) / 100 / 1e6);
        }
        assertTrue(best < 2.0, "64x64 PNG encode took " + best + " ms");
    }

    @Test
    void toBufferedImageCopiesPixels() {
        ImagePixels image = noise(5, 4, 3, 5);
        byte[] before = image.data().clone();
        BufferedImage rgb = ImageCodec.toBufferedImage(image);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, rgb.getType());
        int[] p = rgb(image, 3, 2);
        assertEquals(p[0] << 16 | p[1] << 8 | p[2], rgb.getRGB(3, 2) & 0xFFFFFF);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(0, 0, 5, 4);
        g.dispose();
        assertArrayEquals(before, image.data(), "drawing on the copy leaves the pixels alone");

        ImagePixels grey = noise(5, 4, 1, 6);
        BufferedImage greyImage = ImageCodec.toBufferedImage(grey);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, greyImage.getType());
        assertArrayEquals(grey.data(), ((DataBufferByte) greyImage.getRaster().getDataBuffer()).getData());
    }

    @Test
    void fromBufferedImageInvertsToBufferedImage() {
        ImagePixels image = noise(9, 7, 3, 7);
        assertEquals(image, ImageCodec.fromBufferedImage(ImageCodec.toBufferedImage(image)));
    }

    @Test
    void subImagesAreReadAtTheirOffset() {
        ImagePixels image = noise(30, 20, 3, 8);
        BufferedImage sub = ImageCodec.toBufferedImage(image).getSubimage(10, 5, 12, 9);
        ImagePixels part = ImageCodec.fromBufferedImage(sub);
        assertEquals(12, part.width());
        assertEquals(9, part.height());
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 12; x++) {
                int[] p = rgb(image, x + 10, y + 5);
                assertRgb(part, x, y, p[0], p[1], p[2], 0);
            }
        }
    }

    @Test
    void premultipliedAlphaIsCompositedOverWhite() {
        for (int type : new int[] {BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_4BYTE_ABGR_PRE,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage image = new BufferedImage(2, 1, type);
            image.setRGB(0, 0, 0x80FF0000);
            image.setRGB(1, 0, 0x00123456);
            ImagePixels pixels = ImageCodec.fromBufferedImage(image);
            assertRgb(pixels, 0, 0, 255, 127, 127, 1);
            assertRgb(pixels, 1, 0, 255, 255, 255, 0);
        }
    }

    /** Every standard image type comes out as RGB with the colours that were drawn. */
    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_ARGB_PRE,
        BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_USHORT_555_RGB,
        BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_BINARY,
        BufferedImage.TYPE_BYTE_INDEXED})
    void fromBufferedImageHandlesEveryType(int type) {
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE, Color.BLACK};
        BufferedImage image = new BufferedImage(5 * 4, 3, type);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < colours.length; i++) {
            g.setColor(colours[i]);
            g.fillRect(4 * i, 0, 4, 3);
        }
        g.dispose();
        ImagePixels pixels = ImageCodec.fromBufferedImage(image);
        assertEquals(20, pixels.width());
        assertEquals(3, pixels.height());
        assertEquals(3, pixels.channels());
        boolean grey = type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY
                || type == BufferedImage.TYPE_BYTE_BINARY;
        for (int i = 0; i < colours.length; i++) {
            int[] p = rgb(pixels, 4 * i + 1, 1);
            if (grey) {
                assertTrue(p[0] == p[1] && p[1] == p[2], "grey stays grey");
            } else {
                // 5-bit channels of 555/565 round 255 to 255 and 0 to 0, so this is exact too.
                assertRgb(pixels, 4 * i + 1, 1, colours[i].getRed(), colours[i].getGreen(), colours[i].getBlue(), 0);
            }
        }
        assertRgb(pixels, 13, 1, 255, 255, 255, 0);
        assertRgb(pixels, 17, 1, 0, 0, 0, 0);
    }
}
