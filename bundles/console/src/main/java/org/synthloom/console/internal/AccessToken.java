package org.synthloom.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The console's access token: 32 random bytes, generated at first start and kept in
 * {@code <data>/console/token} (owner-only permissions where the file system has them), so that a
 * restart keeps the URL a user bookmarked. Checks compare SHA-256 digests with
 * {@link MessageDigest#isEqual}, which takes the same time whatever the candidate and its length.
 */
final class AccessToken {

    private final String value;
    private final byte[] digest;

    private AccessToken(String value) {
        this.value = value;
        this.digest = sha256(value);
    }

    /** @return the token kept in the file, or a new one written there if the file does not exist */
    static AccessToken loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String stored = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (stored.matches("[0-9a-f]{64}")) {
                return new AccessToken(stored);
            }
            throw new IOException("the console token file " + file + " does not hold a token (64 hex digits); "
                    + "delete it to get a new token");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(".token.part");
        Files.deleteIfExists(partial);
        try {
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(partial);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("could not create " + partial, e);
        }
        Files.writeString(partial, token + "\n", StandardCharsets.US_ASCII);
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new AccessToken(token);
    }

    /** @return a token with a known value (tests) */
    static AccessToken of(String value) {
        return new AccessToken(value);
    }

    /** @return the token, to print in the URL */
    String value() {
        return value;
    }

    /** @return true if the candidate is the token; constant time in the candidate's content and length */
    boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(candidate.strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
