package org.synthloom.models.nn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import ai.djl.nn.Block;

/**
 * A block's parameters in a file, as a component that learns inside a pipeline keeps them: written
 * whole or not at all, and named by a hash of their bytes (part of the fitted component's identity).
 */
public final class SavedParameters {

    private SavedParameters() {}

    /**
     * Writes {@code block}'s parameters (DJL's format) to a temporary file, then moves it over
     * {@code file} atomically, so that a killed process never leaves a partial file behind.
     *
     * @return {@link #hash} of the written file
     * @throws IOException if the file cannot be written
     */
    public static String save(Block block, Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            block.saveParameters(out);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return hash(file);
    }

    /**
     * @return the first 16 hex digits of the SHA-256 of {@code file}'s bytes
     * @throws IOException if the file cannot be read
     */
    public static String hash(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }
}
