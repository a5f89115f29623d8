package org.synthloom.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

class PluginJarsTest {

    private static byte[] jar(String... headers) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            m.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            out.putNextEntry(new JarEntry("a.txt"));
            out.write(1);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsTheSymbolicNameWithoutDirectivesAndTheVersion() throws IOException {
        PluginJars.Info info = PluginJars.inspect(jar("Bundle-SymbolicName", "org.example.plugin;singleton:=true",
                "Bundle-Version", "1.2.3.beta"));
        assertEquals("org.example.plugin", info.symbolicName());
        assertEquals("1.2.3.beta", info.version().toString());
        assertEquals("0.0.0", PluginJars.inspect(jar("Bundle-SymbolicName", "x")).version().toString());
    }

    @Test
    void refusesWhatIsNotABundle() throws IOException {
        assertEquals(415, assertThrows(ApiException.class,
                () -> PluginJars.inspect("#!/bin/sh\necho".getBytes(StandardCharsets.UTF_8))).status());
        assertEquals(415, assertThrows(ApiException.class, () -> PluginJars.inspect(new byte[0])).status());
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("x.class"));
            z.write(new byte[10]);
        }
        ApiException noManifest = assertThrows(ApiException.class, () -> PluginJars.inspect(zip.toByteArray()));
        assertEquals(400, noManifest.status());
        ApiException plain = assertThrows(ApiException.class, () -> PluginJars.inspect(jar("Main-Class", "x.Y")));
        assertEquals("the jar's manifest has no Bundle-SymbolicName: it is a plain jar, not an OSGi bundle", plain.getMessage());
        assertEquals(400, assertThrows(ApiException.class,
                () -> PluginJars.inspect(jar("Bundle-SymbolicName", "x", "Bundle-Version", "1.x"))).status());
        assertEquals(400, assertThrows(ApiException.class,
                () -> PluginJars.inspect(jar("Bundle-SymbolicName", "../../evil"))).status());
    }
}
