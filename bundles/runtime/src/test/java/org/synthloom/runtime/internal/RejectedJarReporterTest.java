package org.synthloom.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RejectedJarReporterTest {

    @TempDir
    Path dir;

    private final RejectedJarReporter reporter = new RejectedJarReporter();

    private File jar(String name, Manifest manifest) throws IOException {
        File file = dir.resolve(name).toFile();
        try (JarOutputStream out = manifest == null ? new JarOutputStream(new FileOutputStream(file))
                : new JarOutputStream(new FileOutputStream(file), manifest)) {
            out.putNextEntry(new ZipEntry("a/B.class"));
            out.write(new byte[] {1, 2, 3});
        }
        return file;
    }

    private static Manifest manifest(String symbolicName) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        return m;
    }

    @Test
    void claimsGarbageAndExplainsIt() throws IOException {
        File garbage = dir.resolve("broken.jar").toFile();
        Files.write(garbage.toPath(), "this is not a zip".getBytes());
        assertTrue(reporter.canHandle(garbage));
        assertTrue(RejectedJarReporter.problem(garbage).startsWith("it is not a readable jar (zip) file"));
    }

    @Test
    void claimsPlainJarsAndJarsWithoutManifest() throws IOException {
        assertTrue(RejectedJarReporter.problem(jar("plain.jar", manifest(null))).contains("no Bundle-SymbolicName"));
        File noManifest = dir.resolve("nomanifest.jar").toFile();
        try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(noManifest))) {
            out.putNextEntry(new ZipEntry("x.txt"));
        }
        assertTrue(RejectedJarReporter.problem(noManifest).contains("no META-INF/MANIFEST.MF"));
        assertTrue(reporter.canHandle(noManifest));
    }

    @Test
    void leavesBundlesAndOtherFilesToFileInstall() throws IOException {
        File bundle = jar("good.jar", manifest("org.example.good"));
        assertNull(RejectedJarReporter.problem(bundle));
        assertFalse(reporter.canHandle(bundle));
        File config = dir.resolve("x.cfg").toFile();
        Files.write(config.toPath(), "a = b".getBytes());
        assertFalse(reporter.canHandle(config));
    }
}
