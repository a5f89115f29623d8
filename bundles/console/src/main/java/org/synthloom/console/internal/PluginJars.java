package org.synthloom.console.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.osgi.framework.Version;

/** Checks that uploaded bytes are an OSGi bundle before anything is written or installed. */
final class PluginJars {

    /** Entries looked at before giving up on finding the manifest (a zip bomb is not unpacked). */
    private static final int MAX_ENTRIES = 20_000;
    private static final int MAX_MANIFEST_BYTES = 1 << 20;

    /**
     * What an uploaded bundle says it is.
     *
     * @param symbolicName its Bundle-SymbolicName, without directives
     * @param version its Bundle-Version
     */
    record Info(String symbolicName, Version version) {}

    private PluginJars() {}

    /**
     * Reads the manifest of an uploaded jar.
     *
     * @param jar the bytes
     * @return its symbolic name and version
     * @throws ApiException 415 if it is not a jar, 400 if it has no manifest, no
     *     Bundle-SymbolicName or a malformed version
     */
    static Info inspect(byte[] jar) {
        if (jar.length < 4 || jar[0] != 'P' || jar[1] != 'K' || jar[2] != 3 || jar[3] != 4) {
            throw new ApiException(415, "the upload is not a jar (a jar is a zip file, which starts with 'PK')");
        }
        Manifest manifest = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            int entries = 0;
            for (ZipEntry e = zip.getNextEntry(); e != null && entries < MAX_ENTRIES; e = zip.getNextEntry(), entries++) {
                if (e.getName().equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                    byte[] bytes = zip.readNBytes(MAX_MANIFEST_BYTES + 1);
                    if (bytes.length > MAX_MANIFEST_BYTES) {
                        throw ApiException.badRequest("the jar's manifest is larger than 1 MiB");
                    }
                    manifest = new Manifest(new ByteArrayInputStream(bytes));
                    break;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ApiException(415, "the upload is not a readable jar: " + e.getMessage());
        }
        if (manifest == null) {
            throw ApiException.badRequest("the jar has no META-INF/MANIFEST.MF: it is not an OSGi bundle");
        }
        Attributes main = manifest.getMainAttributes();
        String bsn = main.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw ApiException.badRequest("the jar's manifest has no Bundle-SymbolicName: it is a plain jar, not an OSGi bundle");
        }
        String name = bsn.split(";", 2)[0].trim();
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw ApiException.badRequest("the Bundle-SymbolicName '" + name + "' is not a valid symbolic name");
        }
        String version = main.getValue("Bundle-Version");
        try {
            return new Info(name, version == null ? Version.emptyVersion : Version.parseVersion(version.trim()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the Bundle-Version '" + version + "' is not an OSGi version: " + e.getMessage());
        }
    }
}
