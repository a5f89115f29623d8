package org.synthloom.imageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.imageio.TestImages.assertRgb;
import static org.synthloom.imageio.TestImages.assertUniform;
import static org.synthloom.imageio.TestImages.halves;
import static org.synthloom.imageio.TestImages.rgb;
import static org.synthloom.imageio.TestImages.write;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;

/** Decoding of every supported format and variant into 3-channel RGB. */
class ImageCodecDecodeTest {

    private static final Color RED = new Color(255, 0, 0);
    private static final Color BLUE = new Color(0, 0, 255);

    /** PNG IHDR: bit depth at byte 24, colour type at byte 25. */
    private static int pngBitDepth(byte[] png) {
        return png[24];
    }

    private static int pngColourType(byte[] png) {
        return png[25];
    }

    private static ImagePixels decode(byte[] bytes) throws ImageDecodeException {
        ImagePixels image = ImageCodec.decode(bytes, "test-image");
        assertEquals(3, image.channels(), "decode always yields RGB");
        return image;
    }

    @Test
    void pngRgbDecodesExactly() throws Exception {
        byte[] png = write(halves(BufferedImage.TYPE_3BYTE_BGR, 40, 20, RED, BLUE), "png");
        assertEquals(2, pngColourType(png));
        ImagePixels image = decode(png);
        assertEquals(40, image.width());
        assertEquals(20, image.height());
        assertRgb(image, 0, 0, 255, 0, 0, 0);
        assertRgb(image, 19, 19, 255, 0, 0, 0);
        assertRgb(image, 20, 0, 0, 0, 255, 0);
        assertRgb(image, 39, 19, 0, 0, 255, 0);
    }

    @Test
    void pngPaletteWithTransparentEntryBecomesWhite() throws Exception {
        byte[] r = {(byte) 255, 0, 0, 0};
        byte[] g = {0, (byte) 255, 0, 0};
        byte[] b = {0, 0, (byte) 255, 0};
        byte[] a = {(byte) 255, (byte) 255, (byte) 255, 0};
        BufferedImage indexed = new BufferedImage(8, 2, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 4, r, g, b, a));
        for (int x = 0; x < 8; x++) {
            indexed.getRaster().setSample(x, 0, 0, x % 4);
            indexed.getRaster().setSample(x, 1, 0, 3);
        }
        byte[] png = write(indexed, "png");
        assertEquals(3, pngColourType(png), "palette PNG");
        ImagePixels image = decode(png);
        assertRgb(image, 0, 0, 255, 0, 0, 0);
        assertRgb(image, 1, 0, 0, 255, 0, 0);
        assertRgb(image, 2, 0, 0, 0, 255, 0);
        assertRgb(image, 3, 0, 255, 255, 255, 0);
        assertRgb(image, 5, 1, 255, 255, 255, 0);
    }

    @Test
    void greyPngBecomesThreeEqualChannelsWithoutGammaShift() throws Exception {
        BufferedImage grey = halves(BufferedImage.TYPE_BYTE_GRAY, 10, 4, new Color(0, 0, 0), Color.WHITE);
        WritableRaster raster = grey.getRaster();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 10; x++) {
                raster.setSample(x, y, 0, x < 5 ? 100 : 200);
            }
        }
        byte[] png = write(grey, "png");
        assertEquals(0, pngColourType(png), "grey PNG");
        ImagePixels image = decode(png);
        // getRGB would return 168 for 100: the decoder must replicate the stored value.
        assertRgb(image, 0, 0, 100, 100, 100, 0);
        assertRgb(image, 9, 3, 200, 200, 200, 0);
    }

    @Test
    void greyAlphaPngIsCompositedOverWhite() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                new int[] {8, 8}, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 3, 1, 2, null);
        raster.setPixel(0, 0, new int[] {0, 255});
        raster.setPixel(1, 0, new int[] {0, 0});
        raster.setPixel(2, 0, new int[] {100, 128});
        byte[] png = write(new BufferedImage(cm, raster, false, null), "png");
        assertEquals(4, pngColourType(png), "grey + alpha PNG");
        ImagePixels image = decode(png);
        assertRgb(image, 0, 0, 0, 0, 0, 0);
        assertRgb(image, 1, 0, 255, 255, 255, 0);
        int expected = (100 * 128 + 255 * 127 + 127) / 255;
        assertRgb(image, 2, 0, expected, expected, expected, 1);
    }

    @Test
    void rgbaPngIsCompositedOverWhite() throws Exception {
        BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0xFFFF0000);
        argb.setRGB(1, 0, 0x00000000);
        argb.setRGB(2, 0, 0x800000FF);
        byte[] png = write(argb, "png");
        assertEquals(6, pngColourType(png), "RGBA PNG");
        ImagePixels image = decode(png);
        assertRgb(image, 0, 0, 255, 0, 0, 0);
        assertRgb(image, 1, 0, 255, 255, 255, 0);
        assertRgb(image, 2, 0, 127, 127, 255, 1);
    }

    @Test
    void sixteenBitPngsAreRoundedToEightBits() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {16, 16, 16}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, 2, 1, 3, null);
        raster.setPixel(0, 0, new int[] {65535, 0, 32896});
        raster.setPixel(1, 0, new int[] {257 * 10, 257 * 250, 65535});
        byte[] png = write(new BufferedImage(cm, raster, false, null), "png");
        assertEquals(16, pngBitDepth(png));
        assertEquals(2, pngColourType(png));
        ImagePixels image = decode(png);
        assertRgb(image, 0, 0, 255, 0, 128, 0);
        assertRgb(image, 1, 0, 10, 250, 255, 0);

        BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 257 * 200);
        grey16.getRaster().setSample(1, 0, 0, 65535);
        byte[] greyPng = write(grey16, "png");
        assertEquals(16, pngBitDepth(greyPng));
        ImagePixels grey = decode(greyPng);
        assertRgb(grey, 0, 0, 200, 200, 200, 0);
        assertRgb(grey, 1, 0, 255, 255, 255, 0);
    }

    @Test
    void oneBitPng() throws Exception {
        BufferedImage binary = halves(BufferedImage.TYPE_BYTE_BINARY, 16, 2, Color.BLACK, Color.WHITE);
        ImagePixels image = decode(write(binary, "png"));
        assertRgb(image, 0, 0, 0, 0, 0, 0);
        assertRgb(image, 15, 1, 255, 255, 255, 0);
    }

    @Test
    void baselineJpegColoursWithinTolerance() throws Exception {
        byte[] jpeg = TestImages.jpeg(halves(BufferedImage.TYPE_3BYTE_BGR, 64, 32, RED, BLUE), 0.9f, false);
        assertTrue(TestImages.hasMarker(jpeg, 0xC0), "baseline SOF0");
        ImagePixels image = decode(jpeg);
        assertEquals(64, image.width());
        assertEquals(32, image.height());
        int[] red = rgb(image, 8, 16);
        assertTrue(red[0] > 200 && red[1] < 60 && red[2] < 60, () -> java.util.Arrays.toString(red));
        int[] blue = rgb(image, 56, 16);
        assertTrue(blue[0] < 60 && blue[1] < 60 && blue[2] > 200, () -> java.util.Arrays.toString(blue));
    }

    @Test
    void progressiveJpeg() throws Exception {
        byte[] jpeg = TestImages.jpeg(halves(BufferedImage.TYPE_3BYTE_BGR, 64, 32, RED, BLUE), 0.9f, true);
        assertTrue(TestImages.hasMarker(jpeg, 0xC2), "progressive SOF2");
        ImagePixels image = decode(jpeg);
        int[] red = rgb(image, 8, 16);
        assertTrue(red[0] > 200 && red[1] < 60 && red[2] < 60, () -> java.util.Arrays.toString(red));
        int[] blue = rgb(image, 56, 16);
        assertTrue(blue[0] < 60 && blue[1] < 60 && blue[2] > 200, () -> java.util.Arrays.toString(blue));
    }

    @Test
    void greyJpegBecomesThreeEqualChannels() throws Exception {
        BufferedImage grey = halves(BufferedImage.TYPE_BYTE_GRAY, 32, 16, Color.BLACK, Color.WHITE);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                grey.getRaster().setSample(x, y, 0, 90);
            }
        }
        ImagePixels image = decode(TestImages.jpeg(grey, 0.95f, false));
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                int[] p = rgb(image, x, y);
                assertTrue(p[0] == p[1] && p[1] == p[2], "equal channels");
                assertEquals(90, p[0], 3);
            }
        }
    }

    @Test
    void gifDecodesItsPaletteExactly() throws Exception {
        byte[] gif = write(halves(BufferedImage.TYPE_BYTE_INDEXED, 20, 10, RED, BLUE), "gif");
        ImagePixels image = decode(gif);
        assertEquals(20, image.width());
        assertRgb(image, 0, 0, 255, 0, 0, 0);
        assertRgb(image, 19, 9, 0, 0, 255, 0);
    }

    @Test
    void gifTransparentIndexBecomesWhite() throws Exception {
        byte[] r = {(byte) 255, 0};
        byte[] g = {0, 0};
        byte[] b = {0, 0};
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(1, 2, r, g, b, 1));
        indexed.getRaster().setSample(2, 0, 0, 1);
        indexed.getRaster().setSample(3, 0, 0, 1);
        ImagePixels image = decode(write(indexed, "gif"));
        assertRgb(image, 0, 0, 255, 0, 0, 0);
        assertRgb(image, 3, 0, 255, 255, 255, 0);
    }

    @Test
    void animatedGifYieldsTheFirstFrame() throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var out = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(halves(BufferedImage.TYPE_BYTE_INDEXED, 8, 8, RED, RED), null, null), null);
            writer.writeToSequence(new IIOImage(halves(BufferedImage.TYPE_BYTE_INDEXED, 8, 8, BLUE, BLUE), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        assertUniform(decode(bytes.toByteArray()), 255, 0, 0);
    }

    @Test
    void bmpRoundTrips() throws Exception {
        BufferedImage source = new BufferedImage(7, 5, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                source.setRGB(x, y, (x * 36) << 16 | (y * 60) << 8 | (x * y * 7));
            }
        }
        byte[] bmp = write(source, "bmp");
        assertEquals('B', bmp[0]);
        ImagePixels image = decode(bmp);
        assertEquals(7, image.width());
        assertEquals(5, image.height());
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                assertRgb(image, x, y, x * 36, y * 60, x * y * 7, 0);
            }
        }
        ImagePixels indexed = decode(write(halves(BufferedImage.TYPE_BYTE_INDEXED, 8, 4, RED, BLUE), "bmp"));
        assertRgb(indexed, 0, 0, 255, 0, 0, 0);
        assertRgb(indexed, 7, 3, 0, 0, 255, 0);
    }

    @Test
    void decodingIsRepeatable() throws Exception {
        byte[] jpeg = TestImages.jpeg(halves(BufferedImage.TYPE_3BYTE_BGR, 33, 17, RED, BLUE), 0.8f, true);
        assertArrayEquals(decode(jpeg).data(), decode(jpeg).data());
    }

    @Test
    void nullInputIsAProgrammingError() {
        assertThrows(NullPointerException.class, () -> ImageCodec.decode(null, "x"));
    }
}
