package org.synthloom.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.synthloom.imageio.TestImages.assertMessage;
import static org.synthloom.imageio.TestImages.write;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;

/** Bad input never escapes as anything but an {@link ImageDecodeException} naming the input. */
class ImageCodecErrorTest {

    private static final String NAME = "shard-000003.tar:scene-000042";

    /** A 128 x 128 noise image: its compressed data is mostly pixels, so cuts land in them. */
    private static BufferedImage noise(int type) {
        BufferedImage image = new BufferedImage(128, 128, type);
        Random random = new Random(7);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static ImageDecodeException reject(byte[] bytes) {
        return assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(bytes, NAME));
    }

    @Test
    void emptyInput() {
        ImageDecodeException e = reject(new byte[0]);
        assertMessage(e, NAME, "empty");
        assertEquals(NAME, e.imageName());
    }

    @Test
    void unknownFormatListsSupportedFormats() {
        assertMessage(reject("hello world, not an image".getBytes(StandardCharsets.US_ASCII)), NAME,
                "unrecognised image format", "68 65 6C 6C", "supported formats: PNG, JPEG, GIF, BMP");
        assertMessage(reject("RIFF\0\0\0\0WEBPVP8 \0\0\0\0".getBytes(StandardCharsets.ISO_8859_1)), NAME,
                "unsupported image format WebP", "supported formats: PNG, JPEG, GIF, BMP");
        assertMessage(reject("\n<!DOCTYPE html><html>404</html>".getBytes(StandardCharsets.US_ASCII)), NAME,
                "HTML", "supported formats");
        assertMessage(reject(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}), NAME, "TIFF");
    }

    @Test
    void truncatedPng() {
        byte[] png = write(noise(BufferedImage.TYPE_3BYTE_BGR), "png");
        assertMessage(reject(Arrays.copyOf(png, png.length / 2)), NAME, "truncated PNG data");
        assertMessage(reject(Arrays.copyOf(png, 8)), NAME, "PNG");
        assertMessage(reject(Arrays.copyOf(png, 30)), NAME, "PNG");
    }

    @Test
    void truncatedJpeg() {
        for (boolean progressive : new boolean[] {false, true}) {
            byte[] jpeg = TestImages.jpeg(noise(BufferedImage.TYPE_3BYTE_BGR), 0.9f, progressive);
            for (double fraction : new double[] {0.6, 0.99}) {
                byte[] cut = Arrays.copyOf(jpeg, (int) (jpeg.length * fraction));
                assertMessage(reject(cut), NAME, "truncated JPEG data");
            }
            assertMessage(reject(Arrays.copyOf(jpeg, 3)), NAME, "JPEG");
        }
    }

    @Test
    void truncatedGifAndBmp() {
        byte[] gif = write(noise(BufferedImage.TYPE_BYTE_INDEXED), "gif");
        assertMessage(reject(Arrays.copyOf(gif, gif.length / 2)), NAME, "GIF");
        byte[] bmp = write(noise(BufferedImage.TYPE_3BYTE_BGR), "bmp");
        assertMessage(reject(Arrays.copyOf(bmp, bmp.length / 2)), NAME, "truncated BMP data");
    }

    @Test
    void corruptPngData() {
        byte[] png = write(noise(BufferedImage.TYPE_3BYTE_BGR), "png");
        for (int i = png.length / 3; i < png.length / 3 + 64; i++) {
            png[i] ^= 0x5A;
        }
        assertMessage(reject(png), NAME, "PNG data");
    }

    @Test
    void hugeHeaderIsRejectedBeforeAllocatingPixels() {
        byte[] png = TestImages.pngHeaderOnly(30000, 30000);
        assertTrue(png.length < 100);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ImageDecodeException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            ImageDecodeException thrown = assertThrows(ImageDecodeException.class,
                    () -> ImageCodec.decode(png, NAME));
            long millis = (System.nanoTime() - start) / 1_000_000;
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            // 30000 x 30000 RGB would be 2.7 GB; the reader and its buffers need well under 16 MB.
            assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes");
            assertTrue(millis < 2000, "took " + millis + " ms");
            return thrown;
        });
        assertMessage(e, NAME, "too large", "30000x30000", "900000000 pixels", "limit of 64000000 pixels");
    }

    @Test
    void hugeJpegHeaderIsRejected() {
        byte[] jpeg = TestImages.jpeg(noise(BufferedImage.TYPE_3BYTE_BGR), 0.8f, false);
        // Patch the SOF0 frame size: height at +5, width at +7 from the marker.
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                jpeg[i + 5] = (byte) (60000 >> 8);
                jpeg[i + 6] = (byte) 60000;
                jpeg[i + 7] = (byte) (50000 >> 8);
                jpeg[i + 8] = (byte) 50000;
                break;
            }
        }
        ImageDecodeException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(jpeg, NAME)));
        assertMessage(e, NAME, "50000x60000", "limit of 64000000 pixels");
    }

    @Test
    void explicitLimitIsInclusive() throws Exception {
        byte[] png = write(TestImages.halves(BufferedImage.TYPE_3BYTE_BGR, 100, 100, Color.RED, Color.BLUE), "png");
        assertEquals(100, ImageCodec.decode(png, NAME, 10_000).width());
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(png, NAME, 9_999));
        assertMessage(e, NAME, "100x100", "limit of 9999 pixels");
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.decode(png, NAME, 0));
    }

    /**
     * Every truncation and a few hundred random corruptions of each format either decode or fail
     * with an {@link ImageDecodeException} naming the input: no NullPointerException, no
     * ArrayIndexOutOfBoundsException, no hang.
     */
    @Test
    void truncationsAndCorruptionsNeverEscapeOrHang() {
        Map<String, byte[]> samples = new LinkedHashMap<>();
        BufferedImage small = new BufferedImage(48, 32, BufferedImage.TYPE_3BYTE_BGR);
        Random pixels = new Random(3);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                small.setRGB(x, y, x < 24 ? 0xFF0000 | pixels.nextInt(64) : 0x0000FF | pixels.nextInt(64) << 8);
            }
        }
        BufferedImage argb = new BufferedImage(48, 32, BufferedImage.TYPE_INT_ARGB);
        argb.createGraphics().drawImage(small, 0, 0, null);
        samples.put("png", write(small, "png"));
        samples.put("png-rgba", write(argb, "png"));
        samples.put("jpeg", TestImages.jpeg(small, 0.8f, false));
        samples.put("jpeg-progressive", TestImages.jpeg(small, 0.8f, true));
        BufferedImage indexed = new BufferedImage(48, 32, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.createGraphics().drawImage(small, 0, 0, null);
        samples.put("gif", write(indexed, "gif"));
        samples.put("bmp", write(small, "bmp"));
        samples.put("bmp-8bit", write(indexed, "bmp"));

        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random random = new Random(42);
            int decoded = 0;
            int rejected = 0;
            for (Map.Entry<String, byte[]> sample : samples.entrySet()) {
                byte[] good = sample.getValue();
                for (int length = 0; length < good.length; length += Math.max(1, good.length / 150)) {
                    if (check(sample.getKey() + "/cut-" + length, Arrays.copyOf(good, length))) {
                        decoded++;
                    } else {
                        rejected++;
                    }
                }
                for (int round = 0; round < 150; round++) {
                    byte[] bad = good.clone();
                    int flips = 1 + random.nextInt(8);
                    for (int f = 0; f < flips; f++) {
                        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                    }
                    if (check(sample.getKey() + "/flip-" + round, bad)) {
                        decoded++;
                    } else {
                        rejected++;
                    }
                }
            }
            assertTrue(rejected > 500, "most damaged inputs are rejected: " + rejected);
            assertTrue(decoded > 50, "some damage is harmless (e.g. in pixel data): " + decoded);
        });
    }

    /** @return true if decoded, false if rejected properly; fails on anything else */
    private static boolean check(String name, byte[] bytes) {
        try {
            ImagePixels image = ImageCodec.decode(bytes, name, 1 << 20);
            assertNotNull(image);
            assertEquals(3, image.channels());
            return true;
        } catch (ImageDecodeException e) {
            assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            fail(name + " escaped as " + e, e);
            return false;
        }
    }
}
