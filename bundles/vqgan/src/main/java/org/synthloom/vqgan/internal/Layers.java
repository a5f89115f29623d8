package org.synthloom.vqgan.internal;

import org.synthloom.djl.Convolutions;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;

/** The encoder and decoder stacks of the tokenizer, built from DJL's convolutions. */
final class Layers {

    private Layers() {}

    /**
     * The encoder: a 3x3 stem, then per level a 4x4 stride-2 convolution and a residual block,
     * then SiLU and a 1x1 convolution to the embedding width. {@code (B, 3, S, S)} to
     * {@code (B, D, S / downsample, S / downsample)}.
     */
    static SequentialBlock encoder(Settings s) {
        SequentialBlock b = new SequentialBlock();
        b.add(conv(s.width(0), 3, 1));
        for (int level = 1; level <= s.levels(); level++) {
            b.add(strided(s.width(level)));
            b.add(new ResidualBlock(s.width(level)));
        }
        b.add(silu());
        b.add(conv(s.embeddingDim(), 1, 1));
        return b;
    }

    /**
     * The decoder, the encoder's mirror: a 3x3 convolution from the embedding width, then per level
     * (deepest first) a residual block, SiLU and a 2x upsampling to the next level's width, then
     * SiLU and a 3x3 convolution to RGB. The upsampling is a 3x3 convolution to four times the
     * width followed by {@link DepthToSpace}: DJL's PyTorch engine has no transposed convolution,
     * and this sub-pixel convolution can express any 4x4 stride-2 transposed one. {@code (B, D, g, g)} to
     * {@code (B, 3, g * downsample, g * downsample)}, in normalised pixel space.
     */
    static SequentialBlock decoder(Settings s) {
        SequentialBlock b = new SequentialBlock();
        b.add(conv(s.width(s.levels()), 3, 1));
        for (int level = s.levels(); level >= 1; level--) {
            b.add(new ResidualBlock(s.width(level)));
            b.add(silu());
            b.add(conv(4 * s.width(level - 1), 3, 1));
            b.add(new DepthToSpace());
        }
        b.add(silu());
        b.add(conv(3, 3, 1));
        return b;
    }

    /**
     * A {@code k x k} convolution with stride {@code stride} and "same" padding; channel-padded
     * where the engine's backward pass needs it (the decoder's last layer draws 3 channels).
     */
    static Block conv(int filters, int k, int stride) {
        return Convolutions.conv2d(filters, k, stride, k / 2, true);
    }

    /** A 4x4 stride-2 convolution with padding 1: halves the resolution exactly. */
    private static Block strided(int filters) {
        return Convolutions.conv2d(filters, 4, 2, 1, true);
    }

    private static Block silu() {
        return new LambdaBlock(list -> new NDList(ResidualBlock.silu(list.singletonOrThrow())), "silu");
    }
}
