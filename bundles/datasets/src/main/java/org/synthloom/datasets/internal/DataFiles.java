package org.synthloom.datasets.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import org.synthloom.api.data.ImagePixels;
import org.synthloom.imageio.ImageCodec;
import org.synthloom.imageio.ImageDecodeException;

/**
 * File helpers shared by the datasets: resolving configured paths against the data directory,
 * confining image paths to a base folder, bounded reads, strict UTF-8 and image loading whose
 * failures become one-line reasons for an {@link org.synthloom.api.data.InputProblem}.
 */
final class DataFiles {

    /** Largest image file read: 256 MiB, as the store's tar reader. Pixels are limited separately. */
    static final long MAX_IMAGE_BYTES = 256L << 20;

    /** Largest caption file read: 1 MiB. */
    static final long MAX_TEXT_BYTES = 1L << 20;

    private DataFiles() {}

    /**
     * Resolves a configured path: absolute paths stay, relative ones are taken below the data
     * directory (so that users write {@code datasets/cc3m/train.csv}).
     *
     * @param dataDirectory the run store's data directory
     * @param configured the configured path
     * @param property the property's name, for the error message
     * @return the absolute, normalised path
     * @throws IllegalArgumentException if the path is blank or not a valid path
     */
    static Path resolve(Path dataDirectory, String configured, String property) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("'" + property + "' is required: a file or folder, absolute or relative"
                    + " to the data directory " + dataDirectory);
        }
        try {
            return dataDirectory.toAbsolutePath().resolve(configured.strip()).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + property + "' is not a valid path: " + configured, e);
        }
    }

    /**
     * The message of a fetched dataset whose files are absent.
     *
     * @param what what is missing, e.g. {@code "the emoji dataset (emoji.json)"}
     * @param path where it was looked for
     * @return {@code "<what> not found at <absolute path>: run './synthloom data' to fetch it"}
     */
    static String notFetched(String what, Path path) {
        return what + " not found at " + path.toAbsolutePath() + ": run './synthloom data' to fetch it";
    }

    /** The outcome of confining a path to a base folder: the file, or why it is refused. */
    record Confined(Path file, String refusal) {
        boolean ok() {
            return refusal == null;
        }
    }

    /**
     * Resolves an image path written in an input file (a CSV cell, a COCO {@code file_name})
     * below a base folder, refusing paths that leave it: {@code ../../etc/passwd}, absolute paths
     * elsewhere, symbolic links pointing outside. Nothing outside the base is ever opened; a
     * refused or missing file gets a reason instead.
     *
     * @param base the images' base folder, absolute and normalised
     * @param value the path as written
     * @return the file, or the reason it cannot be used
     */
    static Confined confine(Path base, String value) {
        String path = value == null ? "" : value.strip();
        if (path.isEmpty()) {
            return new Confined(null, "empty image path");
        }
        if (path.contains("://")) {
            return new Confined(null, "the image path '" + path + "' is a URL; only local files are read (download"
                    + " the images first, e.g. with img2dataset, and point the images base at them)");
        }
        if (path.indexOf('\0') >= 0) {
            return new Confined(null, "the image path contains a NUL character");
        }
        Path file;
        try {
            file = base.resolve(path).normalize();
        } catch (InvalidPathException e) {
            return new Confined(null, "the image path '" + path + "' is not a valid path (" + e.getReason() + ")");
        }
        if (!file.startsWith(base)) {
            return new Confined(null, "the image path '" + path + "' escapes the images base " + base
                    + "; it is not read");
        }
        if (!Files.exists(file)) {
            return new Confined(null, "image file not found: " + file);
        }
        try {
            if (!file.toRealPath().startsWith(base.toRealPath())) {
                return new Confined(null, "the image path '" + path + "' escapes the images base " + base
                        + " through a symbolic link; it is not read");
            }
        } catch (IOException e) {
            return new Confined(null, "image file cannot be resolved: " + file + " (" + describe(e) + ")");
        }
        return new Confined(file, null);
    }

    /**
     * Reads and decodes an image file.
     *
     * @param file the file
     * @param name what to call it in messages
     * @return the pixels (RGB)
     * @throws IOException with a one-line reason: missing, unreadable, too large, corrupt,
     *     truncated, over the pixel limit
     */
    static ImagePixels loadImage(Path file, String name) throws IOException {
        byte[] bytes = read(file, MAX_IMAGE_BYTES, "image file");
        try {
            return ImageCodec.decode(bytes, name);
        } catch (ImageDecodeException e) {
            throw new IOException(e.reason(), e);
        }
    }

    /**
     * Reads a whole file of bounded size.
     *
     * @param file the file
     * @param limit the largest accepted size in bytes
     * @param what what the file is, for messages ({@code "image file"})
     * @return its bytes
     * @throws IOException with a one-line reason
     */
    static byte[] read(Path file, long limit, String what) throws IOException {
        try {
            if (Files.isDirectory(file)) {
                throw new IOException(what + " " + file + " is a directory");
            }
            long size = Files.size(file);
            if (size > limit) {
                throw new IOException(what + " " + file + " has " + size + " bytes, more than the limit of " + limit);
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) limit + 1);
                if (bytes.length > limit) {
                    throw new IOException(what + " " + file + " grew beyond the limit of " + limit + " bytes while read");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new IOException(what + " not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new IOException(what + " cannot be read (permission denied): " + file, e);
        }
    }

    /**
     * Decodes strict UTF-8 (a leading byte order mark is dropped).
     *
     * @param bytes the bytes
     * @return the text
     * @throws IOException if the bytes are not valid UTF-8: {@code "not valid UTF-8 (malformed
     *     byte 0xFF at offset 12)"}
     */
    static String utf8(byte[] bytes) throws IOException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            // decode() leaves the buffer at the start of the malformed input
            int at = Math.min(in.position(), bytes.length - 1);
            throw new IOException("not valid UTF-8 (malformed byte 0x" + String.format(Locale.ROOT, "%02X", bytes[at] & 0xff)
                    + " at offset " + at + ")", e);
        }
    }

    /**
     * @param e an exception
     * @return a short description: its message, or its type when it has none
     */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
