package org.synthloom.imageio;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

import org.synthloom.api.data.ImagePixels;

/**
 * Conversions between Java2D images or rasters and {@link ImagePixels}. They read raster samples
 * directly: {@code BufferedImage.getRGB} is slow per pixel and, worse, runs grey images through
 * the linear-grey colour space, which would brighten every grey PNG and JPEG.
 */
final class Pixels {

    private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);

    private Pixels() {
    }

    // ---------------------------------------------------------------- BufferedImage -> RGB bytes

    /** Any image to interleaved 8-bit RGB, alpha composited over white. */
    static ImagePixels toRgb(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            return fromIndexed(image, icm);
        }
        if (isDirectlyReadable(image, cm)) {
            return fromComponents(image, cm);
        }
        // Unusual colour spaces (CMYK, ICC profiles, float samples): let Java2D convert to sRGB.
        return fromComponents(drawOverWhite(image), null);
    }

    private static boolean isDirectlyReadable(BufferedImage image, ColorModel cm) {
        if (!(cm instanceof ComponentColorModel || cm instanceof DirectColorModel)) {
            return false;
        }
        int type = cm.getTransferType();
        if (type != DataBuffer.TYPE_BYTE && type != DataBuffer.TYPE_USHORT && type != DataBuffer.TYPE_INT) {
            return false;
        }
        for (int size : cm.getComponentSize()) {
            if (size < 1 || size > 16) {
                return false;
            }
        }
        ColorSpace cs = cm.getColorSpace();
        int colours = cm.getNumColorComponents();
        boolean grey = cs.getType() == ColorSpace.TYPE_GRAY && colours == 1;
        boolean rgb = cs.isCS_sRGB() && colours == 3;
        return (grey || rgb) && image.getRaster().getNumBands() == cm.getNumComponents();
    }

    private static ImagePixels fromComponents(BufferedImage image, ColorModel colorModel) {
        ColorModel cm = colorModel == null ? image.getColorModel() : colorModel;
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        int bands = raster.getNumBands();
        boolean grey = cm.getNumColorComponents() == 1;
        boolean alpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        int alphaBand = cm.getNumColorComponents();
        int[] max = new int[bands];
        boolean rescale = false;
        for (int b = 0; b < bands; b++) {
            max[b] = (1 << cm.getComponentSize(b)) - 1;
            rescale |= max[b] != 255;
        }
        RowReader rows = RowReader.of(raster);
        int[] row = new int[w * bands];
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            rows.read(y, w, row);
            if (rescale) {
                for (int i = 0; i < row.length; i++) {
                    int m = max[i % bands];
                    row[i] = (int) (((long) row[i] * 255 + m / 2) / m);
                }
            }
            for (int x = 0, p = 0; x < w; x++, p += bands) {
                int r = row[p];
                int g = grey ? r : row[p + 1];
                int bl = grey ? r : row[p + 2];
                if (alpha) {
                    int a = row[p + alphaBand];
                    r = overWhite(r, a, premultiplied);
                    g = overWhite(g, a, premultiplied);
                    bl = overWhite(bl, a, premultiplied);
                }
                out[o++] = (byte) r;
                out[o++] = (byte) g;
                out[o++] = (byte) bl;
            }
        }
        return new ImagePixels(w, h, 3, out);
    }

    private static ImagePixels fromIndexed(BufferedImage image, IndexColorModel icm) {
        int size = icm.getMapSize();
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        byte[] alphas = new byte[size];
        icm.getReds(reds);
        icm.getGreens(greens);
        icm.getBlues(blues);
        icm.getAlphas(alphas);
        // Resolve alpha once per palette entry rather than once per pixel.
        byte[] palette = new byte[size * 3];
        for (int i = 0; i < size; i++) {
            int a = alphas[i] & 0xFF;
            palette[3 * i] = (byte) overWhite(reds[i] & 0xFF, a, false);
            palette[3 * i + 1] = (byte) overWhite(greens[i] & 0xFF, a, false);
            palette[3 * i + 2] = (byte) overWhite(blues[i] & 0xFF, a, false);
        }
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        RowReader rows = RowReader.of(raster);
        int[] row = new int[w];
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            rows.read(y, w, row);
            for (int x = 0; x < w; x++) {
                // Corrupt files may index past a short palette: clamp rather than fail.
                int p = 3 * Math.min(row[x], size - 1);
                out[o++] = palette[p];
                out[o++] = palette[p + 1];
                out[o++] = palette[p + 2];
            }
        }
        return new ImagePixels(w, h, 3, out);
    }

    private static BufferedImage drawOverWhite(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setComposite(AlphaComposite.SrcOver);
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /** Composites one 8-bit sample with 8-bit alpha over white, rounding to nearest. */
    static int overWhite(int c, int a, boolean premultiplied) {
        if (a >= 255) {
            return c;
        }
        if (premultiplied) {
            return Math.min(255, c + 255 - a);
        }
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    /** Reads one row of samples, all bands interleaved, as ints. */
    private interface RowReader {

        void read(int y, int w, int[] row);

        static RowReader of(Raster raster) {
            int x0 = raster.getMinX();
            int y0 = raster.getMinY();
            if (raster.getDataBuffer() instanceof DataBufferByte db
                    && raster.getSampleModel() instanceof ComponentSampleModel sm) {
                // The common case (JPEG, 8-bit PNG, 24-bit BMP): index the byte arrays directly.
                int bands = raster.getNumBands();
                byte[][] banks = new byte[bands][];
                int[] base = new int[bands];
                int ps = sm.getPixelStride();
                int ss = sm.getScanlineStride();
                int tx = x0 - raster.getSampleModelTranslateX();
                int ty = y0 - raster.getSampleModelTranslateY();
                for (int b = 0; b < bands; b++) {
                    int bank = sm.getBankIndices()[b];
                    banks[b] = db.getData(bank);
                    base[b] = db.getOffsets()[bank] + sm.getBandOffsets()[b] + tx * ps + ty * ss;
                }
                return (y, w, row) -> {
                    for (int b = 0; b < bands; b++) {
                        byte[] data = banks[b];
                        for (int x = 0, i = base[b] + y * ss, p = b; x < w; x++, i += ps, p += bands) {
                            row[p] = data[i] & 0xFF;
                        }
                    }
                };
            }
            return (y, w, row) -> raster.getPixels(x0, y0 + y, w, 1, row);
        }
    }

    // ---------------------------------------------------------------- JPEG rasters -> RGB bytes

    /**
     * Converts a raw 4-band JPEG raster to RGB. YCCK is first turned into CMYK as libjpeg would;
     * Adobe's inverted CMYK (0 = full ink) is then read as such. Without a colour profile this is
     * the naive {@code R = (1 - C)(1 - K)} conversion: hues are right, print-profile fidelity is not.
     */
    static ImagePixels cmykToRgb(Raster raster, boolean ycck, boolean adobeInverted) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] row = new int[w * 4];
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += 4) {
                int c = row[p];
                int m = row[p + 1];
                int ye = row[p + 2];
                int k = row[p + 3];
                if (ycck) {
                    // libjpeg's YCCK -> CMYK: the YCC triple encodes (255 - C, 255 - M, 255 - Y).
                    int r = yccRed(c, ye);
                    int g = yccGreen(c, m, ye);
                    int b = yccBlue(c, m);
                    c = 255 - r;
                    m = 255 - g;
                    ye = 255 - b;
                }
                // "White" fractions: how much of each primary survives the inks.
                int wc = adobeInverted ? c : 255 - c;
                int wm = adobeInverted ? m : 255 - m;
                int wy = adobeInverted ? ye : 255 - ye;
                int wk = adobeInverted ? k : 255 - k;
                out[o++] = (byte) ((wc * wk + 127) / 255);
                out[o++] = (byte) ((wm * wk + 127) / 255);
                out[o++] = (byte) ((wy * wk + 127) / 255);
            }
        }
        return new ImagePixels(w, h, 3, out);
    }

    /** Converts a raw 3-band JPEG raster (YCbCr, or RGB when {@code rgb}) to RGB. */
    static ImagePixels threeBandToRgb(Raster raster, boolean rgb) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] row = new int[w * 3];
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += 3) {
                if (rgb) {
                    out[o++] = (byte) row[p];
                    out[o++] = (byte) row[p + 1];
                    out[o++] = (byte) row[p + 2];
                } else {
                    out[o++] = (byte) yccRed(row[p], row[p + 2]);
                    out[o++] = (byte) yccGreen(row[p], row[p + 1], row[p + 2]);
                    out[o++] = (byte) yccBlue(row[p], row[p + 1]);
                }
            }
        }
        return new ImagePixels(w, h, 3, out);
    }

    /** Replicates the first band of a raster (grey JPEG) into RGB. */
    static ImagePixels greyToRgb(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int[] row = new int[w * bands];
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                byte v = (byte) row[x * bands];
                out[o++] = v;
                out[o++] = v;
                out[o++] = v;
            }
        }
        return new ImagePixels(w, h, 3, out);
    }

    // JFIF full-range YCbCr -> RGB in 16.16 fixed point, as libjpeg does it.
    private static int yccRed(int y, int cr) {
        return clamp(y + ((91881 * (cr - 128) + 32768) >> 16));
    }

    private static int yccGreen(int y, int cb, int cr) {
        return clamp(y + ((-22554 * (cb - 128) - 46802 * (cr - 128) + 32768) >> 16));
    }

    private static int yccBlue(int y, int cb) {
        return clamp(y + ((116130 * (cb - 128) + 32768) >> 16));
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    // ---------------------------------------------------------------- bytes -> BufferedImage

    /**
     * Wraps the pixels, without copying, in an image the ImageIO writers accept: interleaved
     * RGB (bands in R, G, B order, unlike TYPE_3BYTE_BGR) or TYPE_BYTE_GRAY. Only for writers:
     * drawing into it would modify the caller's {@link ImagePixels}.
     */
    static BufferedImage wrap(ImagePixels image) {
        int w = image.width();
        int h = image.height();
        DataBufferByte buffer = new DataBufferByte(image.data(), image.data().length);
        if (image.channels() == 1) {
            ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                    new int[] {8}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
            WritableRaster raster = Raster.createWritableRaster(
                    new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, w, h, 1, w, new int[] {0}), buffer, null);
            return new BufferedImage(cm, raster, false, null);
        }
        ColorModel cm = new ComponentColorModel(SRGB, new int[] {8, 8, 8}, false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = Raster.createWritableRaster(
                new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, w, h, 3, 3 * w, new int[] {0, 1, 2}),
                buffer, null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** A new TYPE_INT_RGB image (the type Java2D scales fastest) holding a copy of the pixels. */
    static BufferedImage toIntRgb(ImagePixels image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        byte[] src = image.data();
        if (image.channels() == 1) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (src[i] & 0xFF) * 0x010101;
            }
        } else {
            for (int i = 0, j = 0; i < dst.length; i++, j += 3) {
                dst[i] = (src[j] & 0xFF) << 16 | (src[j + 1] & 0xFF) << 8 | (src[j + 2] & 0xFF);
            }
        }
        return out;
    }

    /** Reads back an image made by {@link #toIntRgb}, with the given number of channels. */
    static ImagePixels fromIntRgb(BufferedImage image, int channels) {
        int[] src = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] out = new byte[src.length * channels];
        if (channels == 1) {
            // Grey inputs stay grey through interpolation: every channel holds the same value.
            for (int i = 0; i < src.length; i++) {
                out[i] = (byte) src[i];
            }
        } else {
            for (int i = 0, j = 0; i < src.length; i++) {
                int p = src[i];
                out[j++] = (byte) (p >> 16);
                out[j++] = (byte) (p >> 8);
                out[j++] = (byte) p;
            }
        }
        return new ImagePixels(image.getWidth(), image.getHeight(), channels, out);
    }
}
