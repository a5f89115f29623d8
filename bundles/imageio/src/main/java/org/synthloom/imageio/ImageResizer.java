package org.synthloom.imageio;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Objects;

import org.synthloom.api.data.ImagePixels;

/**
 * Resizes images for training with img2dataset's {@link ResizeMode}s.
 *
 * <p>Downscaling by more than 2x goes through successive halvings with bilinear interpolation
 * (each halving averages 2 x 2 pixels), then one bilinear step to the exact size, so fine
 * patterns average out instead of aliasing into moiré; upscaling is a single bicubic step. The
 * work is done by Java2D's software loops, so the same input always gives the same bytes. Images
 * keep their channel count (grey stays grey).
 */
public final class ImageResizer {

    /** The default border colour of {@link ResizeMode#BORDER}: black. */
    public static final int DEFAULT_BORDER_RGB = 0x000000;

    private ImageResizer() {
    }

    /**
     * Resizes to {@code size} with the given mode and a black border for {@link ResizeMode#BORDER}.
     *
     * @param image the pixels
     * @param size the target size in pixels, positive: the shorter side for
     *        {@link ResizeMode#KEEP_RATIO}, the side of the square for {@link ResizeMode#CENTER_CROP}
     *        and {@link ResizeMode#BORDER}; ignored by {@link ResizeMode#NO}
     * @param mode how to fit the image
     * @return the resized pixels ({@code image} itself if nothing changes)
     * @throws IllegalArgumentException if size is not positive or the result would not fit in an array
     */
    public static ImagePixels resize(ImagePixels image, int size, ResizeMode mode) {
        return resize(image, size, mode, DEFAULT_BORDER_RGB);
    }

    /**
     * Resizes to {@code size} with the given mode.
     *
     * @param image the pixels
     * @param size the target size in pixels, positive (see {@link #resize(ImagePixels, int, ResizeMode)})
     * @param mode how to fit the image
     * @param borderRgb the padding colour of {@link ResizeMode#BORDER} as {@code 0xRRGGBB}; for
     *        grey images its luma (BT.601) is used
     * @return the resized pixels ({@code image} itself if nothing changes)
     * @throws IllegalArgumentException if size is not positive or the result would not fit in an array
     */
    public static ImagePixels resize(ImagePixels image, int size, ResizeMode mode, int borderRgb) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mode, "mode");
        if (size <= 0) {
            throw new IllegalArgumentException("resize size must be positive: " + size);
        }
        int w = image.width();
        int h = image.height();
        return switch (mode) {
            case NO -> image;
            case KEEP_RATIO -> w <= h
                    ? scale(image, size, scaledSide(h, size, w))
                    : scale(image, scaledSide(w, size, h), size);
            case CENTER_CROP -> {
                // Cropping the centred square first and scaling it is the same geometry as
                // scaling the shorter side to size and cropping, without resizing discarded pixels.
                int side = Math.min(w, h);
                yield scale(crop(image, (w - side) / 2, (h - side) / 2, side, side), size, size);
            }
            case BORDER -> {
                ImagePixels fitted = w >= h
                        ? scale(image, size, scaledSide(h, size, w))
                        : scale(image, scaledSide(w, size, h), size);
                yield pad(fitted, size, borderRgb);
            }
        };
    }

    /**
     * Scales to exactly {@code width x height}, ignoring the aspect ratio, with the interpolation
     * described in the class comment.
     *
     * @param image the pixels
     * @param width the new width, positive
     * @param height the new height, positive
     * @return the scaled pixels ({@code image} itself if the size is unchanged)
     * @throws IllegalArgumentException if a size is not positive or the result would not fit in an array
     */
    public static ImagePixels scale(ImagePixels image, int width, int height) {
        Objects.requireNonNull(image, "image");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
        checkSize(width, height);
        if (width == image.width() && height == image.height()) {
            return image;
        }
        BufferedImage current = Pixels.toIntRgb(image);
        int w = image.width();
        int h = image.height();
        while (w != width || h != height) {
            // Halve an axis while it is more than twice its target; otherwise go straight there.
            int nextW = w > 2 * width ? (w + 1) / 2 : width;
            int nextH = h > 2 * height ? (h + 1) / 2 : height;
            boolean upscaling = nextW > w || nextH > h;
            current = draw(current, nextW, nextH, upscaling
                    ? RenderingHints.VALUE_INTERPOLATION_BICUBIC
                    : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            w = nextW;
            h = nextH;
        }
        return Pixels.fromIntRgb(current, image.channels());
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, Object interpolation) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /** The other side when {@code side} becomes {@code size}: round(other * size / side), at least 1. */
    private static int scaledSide(int other, int size, int side) {
        long scaled = Math.round((double) other * size / side);
        if (scaled > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("resized side would be " + scaled + " pixels");
        }
        return (int) Math.max(1, scaled);
    }

    private static void checkSize(int width, int height) {
        if ((long) width * height * 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resized image would be " + width + "x" + height
                    + ", too large for one array");
        }
    }

    private static ImagePixels crop(ImagePixels image, int x, int y, int width, int height) {
        if (x == 0 && y == 0 && width == image.width() && height == image.height()) {
            return image;
        }
        int c = image.channels();
        byte[] out = new byte[width * height * c];
        int rowBytes = width * c;
        for (int row = 0; row < height; row++) {
            System.arraycopy(image.data(), ((y + row) * image.width() + x) * c, out, row * rowBytes, rowBytes);
        }
        return new ImagePixels(width, height, c, out);
    }

    private static ImagePixels pad(ImagePixels image, int size, int borderRgb) {
        int w = image.width();
        int h = image.height();
        if (w == size && h == size) {
            return image;
        }
        int c = image.channels();
        int r = (borderRgb >> 16) & 0xFF;
        int g = (borderRgb >> 8) & 0xFF;
        int b = borderRgb & 0xFF;
        byte[] fill = c == 1 ? new byte[] {(byte) ((299 * r + 587 * g + 114 * b + 500) / 1000)}
                : new byte[] {(byte) r, (byte) g, (byte) b};
        byte[] out = new byte[size * size * c];
        if (fill[0] != 0 || fill[c - 1] != 0 || fill[c / 2] != 0) {
            for (int i = 0; i < out.length; i += c) {
                System.arraycopy(fill, 0, out, i, c);
            }
        }
        // Centred as img2dataset (albumentations PadIfNeeded) does: the extra pixel goes last.
        int top = (size - h) / 2;
        int left = (size - w) / 2;
        int rowBytes = w * c;
        for (int row = 0; row < h; row++) {
            System.arraycopy(image.data(), row * rowBytes, out, ((top + row) * size + left) * c, rowBytes);
        }
        return new ImagePixels(size, size, c, out);
    }
}
