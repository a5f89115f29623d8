package org.synthloom.vqgan.internal;

import java.util.ArrayList;
import java.util.List;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.api.data.TokenGrid;
import org.synthloom.api.model.ImageTokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * A fitted {@code vqgan} tokenizer: the trained model for images of the size it was fitted for.
 * Encoding and decoding work in chunks, each in a sub-manager of the caller's manager, so that
 * memory stays bounded whatever the number of images; the model's parameters are only read.
 */
final class FittedVqGan implements ImageTokenizer {

    /** Images per forward pass. */
    static final int CHUNK = 64;

    private final VqGanBlock model;
    private final int codebookSize;
    private final int imageSize;
    private final int grid;
    private final String codebook;

    /**
     * @param model the trained model, with quantiser
     * @param codebookSize {@code K}
     * @param imageSize the side of the images it was fitted for
     * @param grid the side of their token grids
     * @param codebook the codebook's identity, named by every grid
     */
    FittedVqGan(VqGanBlock model, int codebookSize, int imageSize, int grid, String codebook) {
        this.model = model;
        this.codebookSize = codebookSize;
        this.imageSize = imageSize;
        this.grid = grid;
        this.codebook = codebook;
    }

    /** @return the model */
    VqGanBlock model() {
        return model;
    }

    /** @return the codebook's identity: {@code vqgan@<bundle version>/<hash of the parameters>} */
    String codebook() {
        return codebook;
    }

    /** @return the side of the images it reads and writes */
    int imageSize() {
        return imageSize;
    }

    /** @return the side of its token grids */
    int grid() {
        return grid;
    }

    @Override
    public int codebookSize() {
        return codebookSize;
    }

    /**
     * @throws IllegalArgumentException unless {@code imageSize} is the size it was fitted for
     */
    @Override
    public int gridSize(int imageSize) {
        if (imageSize != this.imageSize) {
            throw new IllegalArgumentException(codebook + " was fitted for " + this.imageSize + "x" + this.imageSize
                    + " images and cannot tokenise " + imageSize + "x" + imageSize + " ones");
        }
        return grid;
    }

    /**
     * @throws IllegalArgumentException if an image is not of the fitted size (the message gives its index)
     */
    @Override
    public List<TokenGrid> encode(List<ImagePixels> images, NDManager manager) {
        for (int i = 0; i < images.size(); i++) {
            ImagePixels image = images.get(i);
            if (image.width() != imageSize || image.height() != imageSize) {
                throw new IllegalArgumentException("image " + i + " is " + image.width() + "x" + image.height() + " pixels; "
                        + codebook + " was fitted for " + imageSize + "x" + imageSize + " images");
            }
        }
        List<TokenGrid> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += CHUNK) {
            List<ImagePixels> chunk = images.subList(start, Math.min(images.size(), start + CHUNK));
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = Pixels.normalised(chunk, imageSize, scope);
                long[] ids = model.codes(new ParameterStore(scope, false), x).toLongArray();
                int cells = grid * grid;
                for (int i = 0; i < chunk.size(); i++) {
                    int[] row = new int[cells];
                    for (int c = 0; c < cells; c++) {
                        row[c] = (int) ids[i * cells + c];
                    }
                    out.add(new TokenGrid(grid, grid, row, codebook, codebookSize));
                }
            }
        }
        return out;
    }

    /**
     * @throws IllegalArgumentException if a grid names another codebook or has another size (the
     *     message gives its index)
     */
    @Override
    public List<ImagePixels> decode(List<TokenGrid> grids, NDManager manager) {
        for (int i = 0; i < grids.size(); i++) {
            TokenGrid g = grids.get(i);
            if (!g.codebook().equals(codebook) || g.codebookSize() != codebookSize) {
                throw new IllegalArgumentException("grid " + i + " holds codes of " + g.codebook() + " (" + g.codebookSize()
                        + " codes), not of " + codebook + " (" + codebookSize + " codes)");
            }
            if (g.rows() != grid || g.columns() != grid) {
                throw new IllegalArgumentException("grid " + i + " is " + g.rows() + "x" + g.columns() + "; " + codebook
                        + " decodes " + grid + "x" + grid + " grids (" + imageSize + "x" + imageSize + " images)");
            }
        }
        List<ImagePixels> out = new ArrayList<>(grids.size());
        int cells = grid * grid;
        for (int start = 0; start < grids.size(); start += CHUNK) {
            int n = Math.min(CHUNK, grids.size() - start);
            long[] ids = new long[n * cells];
            for (int i = 0; i < n; i++) {
                int[] row = grids.get(start + i).ids();
                for (int c = 0; c < cells; c++) {
                    ids[i * cells + c] = row[c];
                }
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray codes = scope.create(ids, new Shape(n, cells));
                out.addAll(Pixels.images(model.images(new ParameterStore(scope, false), codes, grid)));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return codebook + " (" + imageSize + "x" + imageSize + " images, " + grid + "x" + grid + " grids)";
    }
}
