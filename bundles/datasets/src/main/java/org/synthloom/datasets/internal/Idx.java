package org.synthloom.datasets.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The idx format of MNIST and Fashion-MNIST: a big-endian header (magic {@code 0x0000TTDD},
 * T = element type, 0x08 for unsigned bytes, D = number of dimensions, then D sizes) followed by
 * the elements, row-major. Files may be gzip-compressed ({@code .gz}, as distributed) or not.
 */
final class Idx {

    /** Magic of an image file: unsigned bytes, 3 dimensions (count, rows, columns). */
    static final int IMAGES_MAGIC = 2051;
    /** Magic of a label file: unsigned bytes, 1 dimension (count). */
    static final int LABELS_MAGIC = 2049;
    /** Largest accepted image side. */
    static final int MAX_SIDE = 4096;

    private Idx() {}

    /** A parsed header. */
    record Header(int count, int rows, int columns) {}

    /** An open idx file positioned after its header. */
    record Open(DataInputStream in, Header header) {}

    /**
     * Opens an idx file and reads its header.
     *
     * @param file the file ({@code .gz} is decompressed)
     * @param expectedMagic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     * @return the stream after the header, and the header
     * @throws IOException naming the file and what is wrong: not gzip, wrong magic, bad sizes, too short
     */
    static Open open(Path file, int expectedMagic) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            DataInputStream data = new DataInputStream(in);
            int magic = data.readInt();
            if (magic != expectedMagic) {
                throw new IOException(file + ": not an idx " + (expectedMagic == IMAGES_MAGIC ? "image" : "label")
                        + " file (magic " + magic + ", expected " + expectedMagic + ")");
            }
            int count = data.readInt();
            int rows = 1;
            int columns = 1;
            if (expectedMagic == IMAGES_MAGIC) {
                rows = data.readInt();
                columns = data.readInt();
                if (rows <= 0 || columns <= 0 || rows > MAX_SIDE || columns > MAX_SIDE) {
                    throw new IOException(file + ": invalid image size " + rows + "x" + columns + " in the idx header");
                }
            }
            if (count < 0) {
                throw new IOException(file + ": invalid count " + count + " in the idx header");
            }
            return new Open(data, new Header(count, rows, columns));
        } catch (ZipException e) {
            raw.close();
            throw new IOException(file + ": not a valid gzip file (" + DataFiles.describe(e) + ")", e);
        } catch (EOFException e) {
            raw.close();
            throw new IOException(file + ": too short for an idx header", e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Reads only the header.
     *
     * @param file the file
     * @param expectedMagic the magic it must have
     * @return the header
     * @throws IOException as {@link #open(Path, int)}
     */
    static Header header(Path file, int expectedMagic) throws IOException {
        Open open = open(file, expectedMagic);
        open.in().close();
        return open.header();
    }
}
