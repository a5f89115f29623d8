package org.synthloom.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.synthloom.bench.probe.Probe;

/**
 * Assembles the probe bundle from the bench's own class path: {@link Probe}'s class file, its
 * component description and a manifest that imports only what the runtime exports. Each version
 * is a distinct bundle version of the same symbolic name, so copying a second one over the first
 * in {@code plugins/} is a live update, as a rebuilt plugin is.
 */
final class ProbeJar {

    /** The probe's Bundle-SymbolicName. */
    static final String SYMBOLIC_NAME = "org.synthloom.bench.probe";

    private ProbeJar() {}

    /**
     * @param version the Bundle-Version, e.g. {@code 1.0.0.a}
     * @return the bundle jar
     * @throws IOException if the probe's class or description is missing from the class path
     */
    static byte[] build(String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", SYMBOLIC_NAME);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Name", "Synthloom bench probe");
        main.putValue("Import-Package", "org.osgi.framework");
        main.putValue("Service-Component", "OSGI-INF/probe.xml");
        main.putValue("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\"");
        String classFile = Probe.class.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            copy(jar, classFile, classFile);
            copy(jar, "org/synthloom/bench/probe/probe.xml", "OSGI-INF/probe.xml");
        }
        return bytes.toByteArray();
    }

    private static void copy(JarOutputStream jar, String resource, String entry) throws IOException {
        try (InputStream in = ProbeJar.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the bench's class path lacks " + resource);
            }
            jar.putNextEntry(new JarEntry(entry));
            in.transferTo(jar);
            jar.closeEntry();
        }
    }
}
