package org.synthloom.imageio;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.synthloom.api.data.ImagePixels;

/** Builds every test image in memory with Java2D and the JDK's ImageIO writers. */
final class TestImages {

    private TestImages() {
    }

    /** An image of the given type, left half {@code left}, right half {@code right}. */
    static BufferedImage halves(int type, int w, int h, Color left, Color right) {
        BufferedImage image = new BufferedImage(w, h, type);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(left);
            g.fillRect(0, 0, w / 2, h);
            g.setColor(right);
            g.fillRect(w / 2, 0, w - w / 2, h);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Encodes with the JDK writer for {@code format}, default parameters. */
    static byte[] write(BufferedImage image, String format) {
        return write(image, format, null);
    }

    /** Encodes with the JDK writer for {@code format} and the given parameters. */
    static byte[] write(BufferedImage image, String format, ImageWriteParam param) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try {
            return write(writer, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** Writes one image (or raster) with a writer the caller owns. */
    static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    /** A JPEG, baseline or progressive, at the given quality. */
    static byte[] jpeg(BufferedImage image, float quality, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            return write(writer, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** A JPEG of a raw raster (the writer does no colour conversion) with optional metadata. */
    static byte[] jpegRaster(Raster raster, IIOMetadata metadata) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            return write(writer, new IIOImage(raster, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /**
     * A PNG built by hand: signature, IHDR with the given size, a tiny IDAT (a valid zlib stream of
     * a few zero bytes, far too little for the declared size) and IEND.
     */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        byte[] idat = {0x78, (byte) 0x9C, 0x63, 0x60, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Whether the bytes contain the two-byte JPEG marker {@code FF xx} anywhere. */
    static boolean hasMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return true;
            }
        }
        return false;
    }

    /** The RGB triple at (x, y). */
    static int[] rgb(ImagePixels image, int x, int y) {
        int c = image.channels();
        int i = (y * image.width() + x) * c;
        byte[] d = image.data();
        return c == 1 ? new int[] {d[i] & 0xFF, d[i] & 0xFF, d[i] & 0xFF}
                : new int[] {d[i] & 0xFF, d[i + 1] & 0xFF, d[i + 2] & 0xFF};
    }

    /** Asserts the pixel at (x, y) is within {@code tolerance} of (r, g, b) in every channel. */
    static void assertRgb(ImagePixels image, int x, int y, int r, int g, int b, int tolerance) {
        int[] p = rgb(image, x, y);
        if (Math.abs(p[0] - r) > tolerance || Math.abs(p[1] - g) > tolerance || Math.abs(p[2] - b) > tolerance) {
            fail("pixel (" + x + "," + y + ") is (" + p[0] + "," + p[1] + "," + p[2] + "), expected ("
                    + r + "," + g + "," + b + ") +-" + tolerance);
        }
    }

    /** Asserts every pixel of the image is exactly (r, g, b). */
    static void assertUniform(ImagePixels image, int r, int g, int b) {
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                assertRgb(image, x, y, r, g, b, 0);
            }
        }
    }

    /** Asserts a message names the input and mentions every fragment. */
    static void assertMessage(Exception e, String name, String... fragments) {
        String message = e.getMessage();
        assertTrue(message.contains(name), () -> "message does not name " + name + ": " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message lacks '" + fragment + "': " + message);
        }
    }
}
