package org.synthloom.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.synthloom.imageio.TestImages.rgb;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.util.Arrays;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.ImagePixels;

/**
 * CMYK and YCCK JPEGs, which {@code ImageIO.read} refuses (or, on recent JDKs, reads without
 * Adobe's inversion). The files are made the way Photoshop makes them: the JDK writer stores a
 * 4-band raster as is, so the test stores the samples (inverted for Adobe files, YCC-transformed
 * for YCCK) and adds the APP14 marker through the writer's metadata.
 */
class JpegCmykTest {

    /** Five 16-pixel stripes of ink (C, M, Y, K in 0..255): cyan, magenta, yellow, black, none. */
    private static final int[][] INKS = {
        {255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255}, {0, 0, 0, 0},
    };
    private static final int STRIPE = 16;

    /** The stored samples of each stripe, computed by {@code encoding}. */
    private static WritableRaster stripes(java.util.function.UnaryOperator<int[]> encoding) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE,
                STRIPE * INKS.length, STRIPE, 4, null);
        for (int s = 0; s < INKS.length; s++) {
            int[] samples = encoding.apply(INKS[s]);
            for (int y = 0; y < STRIPE; y++) {
                for (int x = s * STRIPE; x < (s + 1) * STRIPE; x++) {
                    raster.setPixel(x, y, samples);
                }
            }
        }
        return raster;
    }

    /** Adobe stores 255 - ink. */
    private static int[] inverted(int[] ink) {
        return new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]};
    }

    /**
     * YCCK as libjpeg writes it from (Adobe-inverted) CMYK: (255 - C', 255 - M', 255 - Y') is
     * transformed like RGB into YCbCr, K' is kept.
     */
    private static int[] ycck(int[] ink) {
        int[] stored = inverted(ink);
        int[] ycc = ycc(255 - stored[0], 255 - stored[1], 255 - stored[2]);
        return new int[] {ycc[0], ycc[1], ycc[2], stored[3]};
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Metadata of a plain 4-band JPEG with an Adobe APP14 marker carrying {@code transform}. */
    private static IIOMetadata adobeMetadata(Raster raster, int transform) throws Exception {
        byte[] plain = TestImages.jpegRaster(raster, null);
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try {
            reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(plain)));
            IIOMetadata metadata = reader.getImageMetadata(0);
            String format = "javax_imageio_jpeg_image_1.0";
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
            IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
            IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
            adobe.setAttribute("version", "100");
            adobe.setAttribute("flags0", "0");
            adobe.setAttribute("flags1", "0");
            adobe.setAttribute("transform", Integer.toString(transform));
            markers.insertBefore(adobe, markers.getFirstChild());
            metadata.setFromTree(format, root);
            return metadata;
        } finally {
            reader.dispose();
        }
    }

    private static boolean hasAdobeMarker(byte[] jpeg) {
        for (int i = 0; i + 9 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xEE
                    && new String(jpeg, i + 4, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("Adobe")) {
                return true;
            }
        }
        return false;
    }

    private static void assertInkColours(ImagePixels image) {
        assertEquals(STRIPE * INKS.length, image.width());
        assertEquals(STRIPE, image.height());
        assertEquals(3, image.channels());
        int y = STRIPE / 2;
        int[] cyan = rgb(image, STRIPE / 2, y);
        assertTrue(cyan[0] < 60 && cyan[1] > 200 && cyan[2] > 200, () -> "cyan " + Arrays.toString(cyan));
        int[] magenta = rgb(image, STRIPE + STRIPE / 2, y);
        assertTrue(magenta[0] > 200 && magenta[1] < 60 && magenta[2] > 200, () -> "magenta " + Arrays.toString(magenta));
        int[] yellow = rgb(image, 2 * STRIPE + STRIPE / 2, y);
        assertTrue(yellow[0] > 200 && yellow[1] > 200 && yellow[2] < 60, () -> "yellow " + Arrays.toString(yellow));
        int[] black = rgb(image, 3 * STRIPE + STRIPE / 2, y);
        assertTrue(black[0] < 60 && black[1] < 60 && black[2] < 60, () -> "black " + Arrays.toString(black));
        int[] white = rgb(image, 4 * STRIPE + STRIPE / 2, y);
        assertTrue(white[0] > 200 && white[1] > 200 && white[2] > 200, () -> "white " + Arrays.toString(white));
    }

    @Test
    void adobeInvertedCmyk() throws Exception {
        WritableRaster raster = stripes(JpegCmykTest::inverted);
        byte[] jpeg = TestImages.jpegRaster(raster, adobeMetadata(raster, JpegHeader.TRANSFORM_NONE));
        assertTrue(hasAdobeMarker(jpeg));
        assertEquals(new JpegHeader(4, true, 0, false), JpegHeader.parse(jpeg));
        assertInkColours(ImageCodec.decode(jpeg, "adobe-cmyk.jpg"));
    }

    @Test
    void plainCmykWithoutAdobeMarkerIsNotInverted() throws Exception {
        byte[] jpeg = TestImages.jpegRaster(stripes(ink -> ink), null);
        assertFalse(hasAdobeMarker(jpeg));
        assertInkColours(ImageCodec.decode(jpeg, "plain-cmyk.jpg"));
    }

    @Test
    void adobeYcck() throws Exception {
        WritableRaster raster = stripes(JpegCmykTest::ycck);
        byte[] jpeg = TestImages.jpegRaster(raster, adobeMetadata(raster, JpegHeader.TRANSFORM_YCCK));
        assertTrue(JpegHeader.parse(jpeg).ycck());
        assertInkColours(ImageCodec.decode(jpeg, "adobe-ycck.jpg"));
    }

    @Test
    void adobeFlaggedRgbJpegIsReadAsRgb() throws Exception {
        // Three components with Adobe transform 0 are untransformed RGB.
        WritableRaster raster = twoColours(new int[] {250, 20, 10}, new int[] {10, 200, 240});
        byte[] jpeg = TestImages.jpegRaster(raster, adobeMetadata(raster, JpegHeader.TRANSFORM_NONE));
        ImagePixels image = ImageCodec.decode(jpeg, "adobe-rgb.jpg");
        TestImages.assertRgb(image, 4, 8, 250, 20, 10, 12);
        TestImages.assertRgb(image, 28, 8, 10, 200, 240, 12);
    }

    @Test
    void jpegTheJdkCannotNameIsReadFromItsRaster() throws Exception {
        // Three components with an Adobe transform other than 0 or 1: the JDK gives up on naming
        // the colour space (no image types, so read() would fail); libjpeg would decode it as
        // YCbCr, and so does the raw-raster fallback.
        WritableRaster raster = twoColours(ycc(250, 20, 10), ycc(10, 200, 240));
        byte[] jpeg = TestImages.jpegRaster(raster, adobeMetadata(raster, 2));
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try {
            reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg)));
            assertFalse(reader.getImageTypes(0).hasNext(), "this JDK names no type for it");
        } finally {
            reader.dispose();
        }
        ImagePixels image = ImageCodec.decode(jpeg, "odd-transform.jpg");
        TestImages.assertRgb(image, 4, 8, 250, 20, 10, 12);
        TestImages.assertRgb(image, 28, 8, 10, 200, 240, 12);
    }

    /** A 32 x 16 three-band raster: left half {@code left}, right half {@code right}. */
    private static WritableRaster twoColours(int[] left, int[] right) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 16, 3, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                raster.setPixel(x, y, x < 16 ? left : right);
            }
        }
        return raster;
    }

    private static int[] ycc(double r, double g, double b) {
        return new int[] {clamp(0.299 * r + 0.587 * g + 0.114 * b),
            clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128), clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128)};
    }

    @Test
    void headerParserToleratesGarbage() {
        assertEquals(0, JpegHeader.parse(new byte[] {(byte) 0xFF, (byte) 0xD8}).components());
        assertEquals(0, JpegHeader.parse(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xEE, 0x7F}).components());
        assertFalse(JpegHeader.parse(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xEE, 0, 5, 'A', 'd', 'o'}).adobe());
    }
}
