package org.synthloom.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
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

    /**
     * One objective component of a probe plugin.
     *
     * @param name its {@code synthloom.name}
     * @param tag the value of its {@code probe_tag} metric
     * @param mode {@code ok}, {@code throw-on-activate} or {@code throw-on-compute}
     * @param ranking its {@code service.ranking}
     */
    public record Probe(String name, int tag, String mode, int ranking) {

        /** A well-behaved probe objective. */
        public static Probe ok(String name, int tag) {
            return new Probe(name, tag, "ok", 0);
        }
    }

    /**
     * Builds a plugin bundle as a plugin author's build would: the class
     * {@link org.synthloom.itests.probe.ProbeObjective}, a manifest importing only the SPI and DJL,
     * and one Declarative Services component per probe.
     */
    public static byte[] probePlugin(String symbolicName, String version, Probe... probes) throws IOException {
        // By name, not by class literal: loading the class would wire the caller's bundle to the SPI
        // (RefreshIT must keep the test bundle out of the API's refresh closure).
        String classFile = "org/synthloom/itests/probe/ProbeObjective.class";
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("Import-Package", "org.synthloom.api.train;version=\"[1.0,2)\",ai.djl.ndarray,ai.djl.ndarray.types");
        List<String> xmls = new ArrayList<>();
        for (Probe p : probes) {
            xmls.add("OSGI-INF/" + p.name() + ".xml");
        }
        main.putValue("Service-Component", String.join(",", xmls));
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            try (JarOutputStream out = new JarOutputStream(bytes, manifest);
                    InputStream in = Jars.class.getClassLoader().getResourceAsStream(classFile)) {
                if (in == null) {
                    throw new IllegalStateException("the probe class " + classFile + " is not on the test class path");
                }
                out.putNextEntry(new JarEntry(classFile));
                in.transferTo(out);
                for (Probe p : probes) {
                    out.putNextEntry(new JarEntry("OSGI-INF/" + p.name() + ".xml"));
                    out.write(componentXml(p).getBytes(StandardCharsets.UTF_8));
                }
            }
            return bytes.toByteArray();
        }
    }

    private static String componentXml(Probe p) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + p.name()
                + "\" activate=\"activate\">\n"
                + "  <implementation class=\"org.synthloom.itests.probe.ProbeObjective\"/>\n"
                + "  <service><provide interface=\"org.synthloom.api.train.Objective\"/></service>\n"
                + "  <property name=\"synthloom.kind\" value=\"objective\"/>\n"
                + "  <property name=\"synthloom.name\" value=\"" + p.name() + "\"/>\n"
                + "  <property name=\"probe.tag\" value=\"" + p.tag() + "\"/>\n"
                + "  <property name=\"probe.mode\" value=\"" + p.mode() + "\"/>\n"
                + "  <property name=\"service.ranking\" type=\"Integer\" value=\"" + p.ranking() + "\"/>\n"
                + "</scr:component>\n";
    }
}
