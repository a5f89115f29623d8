package org.synthloom.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The only way a request reaches the file system: names taken from a request are checked against
 * a strict alphabet (letters, digits, {@code . _ -}, never {@code .} or {@code ..}), resolved below
 * the data directory, and the result (with symbolic links followed, when it exists) must still be
 * inside it.
 */
final class DataPaths {

    private final Path root;

    DataPaths(Path dataDirectory) {
        this.root = dataDirectory.toAbsolutePath().normalize();
    }

    /** @return the data directory */
    Path root() {
        return root;
    }

    /**
     * Checks one name taken from a request.
     *
     * @param value the name
     * @param what what it names, for the message (e.g. {@code run id})
     * @return the name
     * @throws ApiException 400 if it is not a plain file name
     */
    static String name(String value, String what) {
        if (value == null || value.isEmpty() || value.length() > 200 || !value.matches("[A-Za-z0-9._-]+")
                || value.equals(".") || value.equals("..")) {
            throw ApiException.badRequest("the " + what + " '" + abbreviate(value)
                    + "' is not a plain name (letters, digits, '.', '_', '-'; not '.' or '..')");
        }
        return value;
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }

    /**
     * Resolves checked names below the data directory.
     *
     * @param names path elements, each a plain name
     * @return the path, inside the data directory
     * @throws ApiException 400 if a name is not plain or the path leaves the data directory
     */
    Path resolve(String... names) {
        Path p = root;
        for (String n : names) {
            p = p.resolve(name(n, "path element"));
        }
        p = p.normalize();
        if (!p.startsWith(root)) {
            throw ApiException.badRequest("the path leaves the data directory");
        }
        if (Files.exists(p)) {
            try {
                if (!p.toRealPath().startsWith(root.toRealPath())) {
                    throw ApiException.badRequest("the path leads out of the data directory through a link");
                }
            } catch (IOException e) {
                throw ApiException.notFound("cannot read " + root.relativize(p) + ": " + e.getMessage());
            }
        }
        return p;
    }
}
