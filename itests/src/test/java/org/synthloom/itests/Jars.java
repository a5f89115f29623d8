package org.synthloom.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundle jars rewritten for tests. */
public final class Jars {

    private Jars() {}

    /** The same jar with another Bundle-Version: what a rebuilt plugin looks like to the framework. */
    public static byte[] withVersion(byte[] jar, String version) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar));
                ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                }
            }
            return bytes.toByteArray();
        }
    }
}
