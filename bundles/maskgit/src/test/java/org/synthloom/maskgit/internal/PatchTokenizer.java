package org.synthloom.maskgit.internal;

import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.ImageTokenizer;

import ai.djl.ndarray.NDManager;

/**
 * A tiny deterministic image tokenizer for the tests: each 4x4 patch of a grey image becomes the
 * nearest of 16 grey levels ({@code 17 * code}); decoding paints the level back, so decoding then
 * encoding returns the same grid.
 */
final class PatchTokenizer implements ImageTokenizer {

    static final int PATCH = 4;
    static final int CODES = 16;
    static final String CODEBOOK = "patch-grey-16";

    @Override
    public int codebookSize() {
        return CODES;
    }

    @Override
    public int gridSize(int imageSize) {
        return imageSize / PATCH;
    }

    @Override
    public List<TokenGrid> encode(List<ImagePixels> images, NDManager manager) {
        List<TokenGrid> grids = new ArrayList<>();
        for (ImagePixels image : images) {
            int side = image.width() / PATCH;
            int[] ids = new int[side * side];
            for (int cell = 0; cell < ids.length; cell++) {
                int r = cell / side;
                int c = cell % side;
                double sum = 0;
                for (int y = r * PATCH; y < (r + 1) * PATCH; y++) {
                    for (int x = c * PATCH; x < (c + 1) * PATCH; x++) {
                        sum += image.data()[(y * image.width() + x) * image.channels()] & 0xff;
                    }
                }
                ids[cell] = (int) Math.min(CODES - 1, Math.round(sum / (PATCH * PATCH) / 17.0));
            }
            grids.add(new TokenGrid(side, side, ids, CODEBOOK, CODES));
        }
        return grids;
    }

    @Override
    public List<ImagePixels> decode(List<TokenGrid> grids, NDManager manager) {
        List<ImagePixels> images = new ArrayList<>();
        for (TokenGrid grid : grids) {
            if (!grid.codebook().equals(CODEBOOK)) {
                throw new IllegalArgumentException("grid of codebook " + grid.codebook() + ", not " + CODEBOOK);
            }
            images.add(paint(grid.ids(), grid.columns()));
        }
        return images;
    }

    /** @return the grey image whose patches have the levels of {@code ids} */
    static ImagePixels paint(int[] ids, int side) {
        int size = side * PATCH;
        byte[] data = new byte[size * size * 3];
        for (int p = 0; p < size * size; p++) {
            int token = ids[(p / size / PATCH) * side + (p % size) / PATCH];
            for (int ch = 0; ch < 3; ch++) {
                data[p * 3 + ch] = (byte) (17 * token);
            }
        }
        return new ImagePixels(size, size, 3, data);
    }
}
