package org.synthloom.vqgan.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.model.Fields;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Between 8-bit images and the normalised float tensors the model reads and writes: the same
 * normalisation as the engine's batches ({@link Fields#IMAGES}: {@code (x / 255 - mean) / std} per
 * channel), done with tensor operations.
 */
final class Pixels {

    private static final float[] MEAN = Fields.imageMean();
    private static final float[] STD = Fields.imageStd();

    private Pixels() {}

    /**
     * @param images square images of side {@code size}, 1 or 3 channels (grey is replicated)
     * @param size the side every image must have
     * @param manager where the tensor lives
     * @return float32 {@code (B, 3, size, size)}, normalised
     * @throws IllegalArgumentException if an image has another size; the message gives its index
     */
    static NDArray normalised(List<ImagePixels> images, int size, NDManager manager) {
        int plane = size * size;
        byte[] rgb = new byte[images.size() * plane * 3];
        for (int i = 0; i < images.size(); i++) {
            ImagePixels image = images.get(i);
            if (image.width() != size || image.height() != size) {
                throw new IllegalArgumentException("image " + i + " is " + image.width() + "x" + image.height()
                        + " pixels; this tokenizer was fitted for " + size + "x" + size + " images");
            }
            byte[] data = image.data();
            if (image.channels() == 3) {
                System.arraycopy(data, 0, rgb, i * plane * 3, plane * 3);
            } else {
                int base = i * plane * 3;
                for (int p = 0; p < plane; p++) {
                    rgb[base + 3 * p] = data[p];
                    rgb[base + 3 * p + 1] = data[p];
                    rgb[base + 3 * p + 2] = data[p];
                }
            }
        }
        NDArray bytes = manager.create(ByteBuffer.wrap(rgb), new Shape(images.size(), size, size, 3), DataType.UINT8);
        NDArray unit = bytes.toType(DataType.FLOAT32, false).transpose(0, 3, 1, 2).div(255f);
        return unit.sub(mean(manager)).div(std(manager));
    }

    /**
     * @param normalised float32 {@code (B, 3, S, S)} in the normalised space
     * @return the same images in [0, 1] pixel space, clamped
     */
    static NDArray unit(NDArray normalised) {
        NDManager m = normalised.getManager();
        return normalised.mul(std(m)).add(mean(m)).clip(0f, 1f);
    }

    /**
     * @param normalised float32 {@code (B, 3, S, S)} in the normalised space
     * @return one RGB image per row, rounded to 8 bits
     */
    static List<ImagePixels> images(NDArray normalised) {
        Shape shape = normalised.getShape();
        int batch = (int) shape.get(0);
        int size = (int) shape.get(2);
        byte[] all = unit(normalised).mul(255f).round().transpose(0, 2, 3, 1).toType(DataType.UINT8, false)
                .toByteArray();
        int length = size * size * 3;
        List<ImagePixels> out = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            byte[] data = new byte[length];
            System.arraycopy(all, i * length, data, 0, length);
            out.add(new ImagePixels(size, size, 3, data));
        }
        return out;
    }

    /**
     * Peak signal-to-noise ratio in [0, 1] pixel space, per image: {@code 10 log10(1 / mse)}, the
     * reconstruction clamped to [0, 1] as decoding does (capped at 100 dB for an exact copy).
     *
     * @param reconstruction float32 {@code (B, 3, S, S)}, normalised
     * @param target float32 {@code (B, 3, S, S)}, normalised
     * @return float32 {@code (B)}, in dB
     */
    static NDArray psnr(NDArray reconstruction, NDArray target) {
        NDArray difference = unit(reconstruction).sub(unit(target));
        NDArray mse = difference.square().reshape(difference.getShape().get(0), -1).mean(new int[] {1});
        return mse.maximum(1e-10f).log10().mul(-10f);
    }

    private static NDArray mean(NDManager manager) {
        return manager.create(MEAN, new Shape(1, 3, 1, 1));
    }

    private static NDArray std(NDManager manager) {
        return manager.create(STD, new Shape(1, 3, 1, 1));
    }
}
