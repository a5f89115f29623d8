package org.synthloom.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPathsTest {

    @TempDir
    Path dir;

    @Test
    void plainNamesResolveInsideTheDataDirectory() {
        DataPaths paths = new DataPaths(dir.resolve("data"));
        assertEquals(dir.resolve("data/runs/r-1.x/results.json"), paths.resolve("runs", "r-1.x", "results.json"));
    }

    @Test
    void namesThatClimbOrCarrySeparatorsAreRefused() {
        DataPaths paths = new DataPaths(dir.resolve("data"));
        for (String bad : new String[] {"..", ".", "../etc", "a/b", "a\\b", "/etc", "", "a b", "run%2F", "é", "a\u0000b"}) {
            ApiException e = assertThrows(ApiException.class, () -> paths.resolve("runs", bad), bad);
            assertEquals(400, e.status(), bad);
        }
        assertThrows(ApiException.class, () -> paths.resolve("x".repeat(201)));
    }

    @Test
    void aLinkOutOfTheDataDirectoryIsRefused() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data/runs"));
        Path outside = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(outside.resolve("key"), "secret");
        Files.createSymbolicLink(data.resolve("escape"), outside);
        DataPaths paths = new DataPaths(dir.resolve("data"));
        ApiException e = assertThrows(ApiException.class, () -> paths.resolve("runs", "escape", "key"));
        assertTrue(e.getMessage().contains("link"), e.getMessage());
    }
}
