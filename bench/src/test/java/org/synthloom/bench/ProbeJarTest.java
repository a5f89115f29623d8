package org.synthloom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

import org.junit.jupiter.api.Test;

/** The probe bundle the bench copies into a runtime's plugins/: a bundle DS can activate. */
class ProbeJarTest {

    @Test
    void isABundleWithItsComponentAndClass() throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        Attributes main;
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(ProbeJar.build("1.0.0.b")))) {
            main = jar.getManifest().getMainAttributes();
            for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                entries.put(e.getName(), jar.readAllBytes());
            }
        }
        assertEquals(ProbeJar.SYMBOLIC_NAME, main.getValue("Bundle-SymbolicName"));
        assertEquals("1.0.0.b", main.getValue("Bundle-Version"));
        assertEquals("2", main.getValue("Bundle-ManifestVersion"));
        String component = main.getValue("Service-Component");
        assertNotNull(entries.get(component), "the component description " + component + " is in the jar");
        String xml = new String(entries.get(component), StandardCharsets.UTF_8);
        assertTrue(xml.contains("class=\"org.synthloom.bench.probe.Probe\""), xml);
        assertNotNull(entries.get("org/synthloom/bench/probe/Probe.class"));
        // Only the probe: nothing of the bench's own packages, which the runtime does not have.
        assertEquals(2, entries.size(), entries.keySet().toString());
        for (String imported : main.getValue("Import-Package").split(",")) {
            String name = imported.strip();
            assertTrue(name.startsWith("org.osgi.") || name.startsWith("org.synthloom.api.") || name.equals("org.synthloom.djl")
                    || name.startsWith("ai.djl"), "imports only what the runtime exports: " + name);
        }
    }
}
