package org.synthloom.api.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image as a grid of discrete VQ codebook indices, as a VQ-GAN tokenizer produces them. Token
 * ids only mean something against the codebook that made them, so the grid names it. The array
 * is shared, not copied: do not modify it.
 */
public final class TokenGrid {

    private final int rows;
    private final int columns;
    private final int[] ids;
    private final String codebook;
    private final int codebookSize;

    /**
     * @param rows grid height
     * @param columns grid width
     * @param ids {@code rows * columns} token ids, row-major, each in {@code [0, codebookSize)}
     * @param codebook identity of the tokenizer that made them (name and version)
     * @param codebookSize number of codes in the codebook
     * @throws IllegalArgumentException if sizes disagree or an id is out of range
     */
    public TokenGrid(int rows, int columns, int[] ids, String codebook, int codebookSize) {
        if (rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException("grid must be positive: " + rows + "x" + columns);
        }
        Objects.requireNonNull(ids, "ids");
        if (ids.length != rows * columns) {
            throw new IllegalArgumentException(
                    "expected " + rows * columns + " token ids for a " + rows + "x" + columns + " grid, got " + ids.length);
        }
        if (codebookSize <= 0) {
            throw new IllegalArgumentException("codebook size must be positive: " + codebookSize);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= codebookSize) {
                throw new IllegalArgumentException("token " + ids[i] + " at index " + i
                        + " is outside the codebook [0, " + codebookSize + ")");
            }
        }
        this.rows = rows;
        this.columns = columns;
        this.ids = ids;
        this.codebook = Objects.requireNonNull(codebook, "codebook");
        this.codebookSize = codebookSize;
    }

    /** @return grid height */
    public int rows() {
        return rows;
    }

    /** @return grid width */
    public int columns() {
        return columns;
    }

    /** @return the token ids, row-major; do not modify */
    public int[] ids() {
        return ids;
    }

    /** @return the identity of the codebook the ids index */
    public String codebook() {
        return codebook;
    }

    /** @return the number of codes in the codebook */
    public int codebookSize() {
        return codebookSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenGrid t && rows == t.rows && columns == t.columns
                && codebookSize == t.codebookSize && codebook.equals(t.codebook) && Arrays.equals(ids, t.ids);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(rows, columns, codebook, codebookSize) + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "TokenGrid[" + rows + "x" + columns + " of " + codebook + "/" + codebookSize + "]";
    }
}
