package org.synthloom.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartMakesAPrivateRandomTokenThatLaterStartsKeep() throws IOException {
        Path file = dir.resolve("console/token");
        AccessToken first = AccessToken.loadOrCreate(file);
        assertTrue(first.value().matches("[0-9a-f]{64}"), first.value());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
        assertEquals(first.value(), AccessToken.loadOrCreate(file).value());
        assertNotEquals(first.value(), AccessToken.loadOrCreate(dir.resolve("other/token")).value());
    }

    @Test
    void matchesOnlyTheTokenItself() {
        AccessToken token = AccessToken.of("0123456789abcdef".repeat(4));
        assertTrue(token.matches("0123456789abcdef".repeat(4)));
        assertTrue(token.matches(" " + "0123456789abcdef".repeat(4) + "\n"), "surrounding blanks from a copy and paste");
        assertFalse(token.matches("0123456789abcdef".repeat(4).substring(1)));
        assertFalse(token.matches("0123456789abcdef".repeat(4) + "0"));
        assertFalse(token.matches(""));
        assertFalse(token.matches(null));
    }

    @Test
    void aDamagedTokenFileIsReportedNotReplacedSilently() throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "not a token");
        IOException e = assertThrows(IOException.class, () -> AccessToken.loadOrCreate(file));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    }
}
