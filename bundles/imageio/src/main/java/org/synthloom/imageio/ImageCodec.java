package org.synthloom.imageio;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.synthloom.api.data.ImagePixels;

/**
 * Safe decoding and encoding of the images that enter the platform.
 *
 * <p>{@link #decode(byte[], String)} reads PNG (1 to 16 bits, palette, grey, grey + alpha, RGB,
 * RGBA), JPEG (baseline, progressive, greyscale, CMYK and YCCK, including Adobe's inverted CMYK),
 * GIF (first frame) and BMP, and always returns 3-channel 8-bit RGB: greyscale is replicated into
 * three equal channels so that every sample has the same layout, and alpha is composited over
 * white. The image size is checked against a pixel limit from the header, before any pixel is
 * allocated, and every failure (empty, truncated, corrupt, unsupported, too large) becomes an
 * {@link ImageDecodeException} that names the input.
 *
 * <p>Everything happens in memory: streams are {@link MemoryCacheImageInputStream}s, never
 * ImageIO's file cache, and no global ImageIO setting is changed. All methods are thread-safe.
 */
public final class ImageCodec {

    /** The default limit of {@link #decode(byte[], String)}: 64 million pixels (8000 x 8000). */
    public static final long DEFAULT_MAX_PIXELS = 64_000_000L;

    /** At most this many reader warnings are kept for an error message. */
    private static final int MAX_WARNINGS = 4;

    private ImageCodec() {
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes an image with the {@linkplain #DEFAULT_MAX_PIXELS default pixel limit}.
     *
     * @param encoded the file's bytes
     * @param name what to call the input in error messages, e.g. {@code shard-000003.tar:x.png}
     * @return 8-bit RGB, 3 channels; alpha composited over white, grey replicated
     * @throws ImageDecodeException if the data is empty, truncated, corrupt, of an unsupported
     *         format or larger than the limit; the message names the input and the problem
     */
    public static ImagePixels decode(byte[] encoded, String name) throws ImageDecodeException {
        return decode(encoded, name, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes an image, refusing it if its header declares more than {@code maxPixels} pixels.
     * The check happens before pixels are read, so a small file claiming 30000 x 30000 costs
     * nothing.
     *
     * @param encoded the file's bytes
     * @param name what to call the input in error messages
     * @param maxPixels the largest accepted width x height, positive
     * @return 8-bit RGB, 3 channels; alpha composited over white, grey replicated
     * @throws ImageDecodeException if the data is empty, truncated, corrupt, of an unsupported
     *         format or larger than the limit; the message names the input and the problem
     * @throws IllegalArgumentException if {@code maxPixels} is not positive
     */
    public static ImagePixels decode(byte[] encoded, String name, long maxPixels) throws ImageDecodeException {
        Objects.requireNonNull(encoded, "encoded");
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
        }
        String label = name == null || name.isBlank() ? "<unnamed image>" : name;
        if (encoded.length == 0) {
            throw new ImageDecodeException(label, "empty input (0 bytes)");
        }
        ImageFormat format = ImageFormat.sniff(encoded);
        if (format == null) {
            String known = ImageFormat.nameUnsupported(encoded);
            throw new ImageDecodeException(label, (known != null
                    ? "unsupported image format " + known
                    : "unrecognised image format (" + encoded.length + " bytes starting "
                            + ImageFormat.hexPrefix(encoded) + ")")
                    + "; supported formats: " + ImageFormat.SUPPORTED);
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new ImageDecodeException(label, "no ImageIO reader for " + format + " in this runtime");
        }
        ImageReader reader = readers.next();
        Warnings warnings = new Warnings();
        reader.addIIOReadWarningListener(warnings);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            // Metadata is not ignored: PNG tRNS and GIF transparency live there.
            reader.setInput(in, true, false);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageDecodeException(label, "invalid image size " + width + "x" + height);
            }
            long pixels = (long) width * height;
            if (pixels > maxPixels) {
                throw new ImageDecodeException(label, "image too large: " + width + "x" + height + " = "
                        + pixels + " pixels exceeds the limit of " + maxPixels + " pixels");
            }
            ImagePixels result = format == ImageFormat.JPEG
                    ? readJpeg(reader, JpegHeader.parse(encoded), label)
                    : Pixels.toRgb(reader.read(0));
            if (warnings.truncated()) {
                // The JPEG reader fills a truncated image with grey and only warns: refuse it.
                throw new ImageDecodeException(label, "truncated " + format + " data (" + warnings + ")");
            }
            return result;
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Readers signal bad data with IIOException, EOFException and, on some corrupt
            // inputs, unchecked exceptions (index out of bounds, negative sizes): all mean "bad file".
            throw new ImageDecodeException(label, describe(format, encoded, e, warnings), e);
        } finally {
            reader.dispose();
        }
    }

    private static ImagePixels readJpeg(ImageReader reader, JpegHeader header, String label) throws IOException {
        int components = header.components();
        if (components == 4) {
            // The JDK cannot (or, before some 17 updates, will not) give CMYK/YCCK as RGB, and
            // it ignores Adobe's inversion: read the raw samples and convert them ourselves.
            return Pixels.cmykToRgb(reader.readRaster(0, null), header.ycck(), header.adobe());
        }
        if (!reader.getImageTypes(0).hasNext()) {
            // The JDK refuses colour spaces it cannot name (e.g. three components with an Adobe
            // transform other than 0 or 1); a Raster is still available, raw. Decode it as
            // libjpeg would: RGB if Adobe says untransformed, YCbCr otherwise.
            Raster raster = reader.readRaster(0, null);
            return switch (raster.getNumBands()) {
                case 1, 2 -> Pixels.greyToRgb(raster);
                case 3 -> Pixels.threeBandToRgb(raster,
                        header.adobe() && header.adobeTransform() == JpegHeader.TRANSFORM_NONE);
                default -> throw new ImageDecodeException(label,
                        "unsupported JPEG with " + raster.getNumBands() + " colour components");
            };
        }
        return Pixels.toRgb(reader.read(0));
    }

    private static String describe(ImageFormat format, byte[] encoded, Exception e, Warnings warnings) {
        boolean truncated = warnings.truncated() || format.looksTruncated(encoded);
        StringBuilder causes = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 8; t = t.getCause(), depth++) { // no cause cycles
            truncated |= t instanceof EOFException;
            String message = t.getMessage();
            if (message != null) {
                String lower = message.toLowerCase(Locale.ROOT);
                truncated |= lower.contains("premature end") || lower.contains("unexpected end")
                        || lower.contains("truncated");
            }
            if (causes.length() > 0) {
                causes.append(": ");
            }
            causes.append(message != null && !message.isBlank() ? message : t.getClass().getSimpleName());
        }
        String what = truncated ? "truncated " + format + " data (unexpected end of input)" : "corrupt " + format + " data";
        return what + ": " + causes + (warnings.isEmpty() ? "" : "; warnings: " + warnings);
    }

    /** Collects reader warnings; libjpeg reports truncation only as a warning. */
    private static final class Warnings implements IIOReadWarningListener {

        private final List<String> messages = new ArrayList<>();
        private boolean truncated;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String lower = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
            // "Truncated File - Missing EOI marker" (JDK) or "Premature end of JPEG file" (libjpeg).
            truncated |= lower.contains("truncated") || lower.contains("premature end");
            if (messages.size() < MAX_WARNINGS && !messages.contains(warning)) {
                messages.add(warning);
            }
        }

        boolean truncated() {
            return truncated;
        }

        boolean isEmpty() {
            return messages.isEmpty();
        }

        @Override
        public String toString() {
            return String.join("; ", messages);
        }
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Encodes losslessly as PNG: 8-bit RGB for 3 channels, 8-bit grey for 1.
     *
     * @param image the pixels
     * @return the PNG file's bytes
     */
    public static byte[] encodePng(ImagePixels image) {
        Objects.requireNonNull(image, "image");
        return write(image, "png", null);
    }

    /**
     * Encodes as baseline JPEG (4:2:0 chroma for RGB, greyscale for 1 channel).
     *
     * @param image the pixels
     * @param quality from 0 (smallest) to 1 (best)
     * @return the JPEG file's bytes
     * @throws IllegalArgumentException if quality is outside [0, 1]
     */
    public static byte[] encodeJpeg(ImagePixels image, float quality) {
        Objects.requireNonNull(image, "image");
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in [0, 1]: " + quality);
        }
        return write(image, "jpeg", quality);
    }

    private static byte[] write(ImagePixels image, String format, Float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + format + " in this runtime");
        }
        ImageWriter writer = writers.next();
        // Size the buffer for a compressed image; it grows if needed.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, image.data().length / 4));
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            // No copy: the wrapped image is only read by the writer.
            writer.write(null, new IIOImage(Pixels.wrap(image), null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + image + " as " + format + " in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    // ---------------------------------------------------------------- Java2D conversions

    /**
     * Copies the pixels into a new image: {@link BufferedImage#TYPE_3BYTE_BGR} for RGB,
     * {@link BufferedImage#TYPE_BYTE_GRAY} for grey. The image owns its data, so drawing on it
     * does not change {@code image}.
     *
     * @param image the pixels
     * @return a new image of the same size
     */
    public static BufferedImage toBufferedImage(ImagePixels image) {
        Objects.requireNonNull(image, "image");
        int w = image.width();
        int h = image.height();
        byte[] src = image.data();
        if (image.channels() == 1) {
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            System.arraycopy(src, 0, dst, 0, src.length);
            return out;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < src.length; i += 3) {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
        return out;
    }

    /**
     * Converts any image to 3-channel 8-bit RGB: alpha is composited over white, grey is
     * replicated into three equal channels (without the linear-grey brightening of
     * {@code getRGB}), 16-bit samples are rounded to 8 bits and other colour spaces are converted
     * to sRGB by Java2D.
     *
     * @param image any image, including sub-images
     * @return new pixels of the same size
     */
    public static ImagePixels fromBufferedImage(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        return Pixels.toRgb(image);
    }
}
