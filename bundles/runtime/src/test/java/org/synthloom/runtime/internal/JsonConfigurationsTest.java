package org.synthloom.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;

class JsonConfigurationsTest {

    @Test
    void fileNamesSayWhichConfiguration() {
        JsonConfigurations.Target factory = JsonConfigurations.target(Path.of("/x/org.synthloom.pipeline-shapes-clip.json"));
        assertEquals("org.synthloom.pipeline", factory.factoryPid());
        assertEquals("shapes-clip", factory.name());
        JsonConfigurations.Target single = JsonConfigurations.target(Path.of("org.synthloom.djl.json"));
        assertEquals("org.synthloom.djl", single.pid());
        assertEquals("org.synthloom.djl", single.toString());
    }

    @Test
    void valuesKeepTheirTypesAndCommentsAreAllowed() throws IOException {
        Hashtable<String, Object> p = JsonConfigurations.parse(String.join("\n",
                "{",
                "  // the human data",
                "  \"dataset.target\": \"(synthloom.name=shapes-world)\",",
                "  # budgets",
                "  \"train.steps\": 300,",
                "  \"learning.rate\": 0.001,",
                "  \"synthetic.ratio\": 5e-1,",
                "  \"shuffle\": true,",
                "  \"concepts\": [\"red circle\", \"blue star\"],",
                "  \"sizes\": [1, 2, 3]",
                "}"), "p.json");
        assertEquals("(synthloom.name=shapes-world)", p.get("dataset.target"));
        assertEquals(300L, p.get("train.steps"));
        assertEquals(0.001, p.get("learning.rate"));
        assertEquals(0.5, p.get("synthetic.ratio"));
        assertEquals(Boolean.TRUE, p.get("shuffle"));
        assertArrayEquals(new String[] {"red circle", "blue star"}, (String[]) p.get("concepts"));
        assertArrayEquals(new Long[] {1L, 2L, 3L}, (Long[]) p.get("sizes"));
    }

    @Test
    void malformedFilesAreExplained() {
        assertTrue(assertThrows(IOException.class, () -> JsonConfigurations.parse("{\"a\": ", "bad.json"))
                .getMessage().startsWith("bad.json is not valid JSON"));
        assertTrue(assertThrows(IOException.class, () -> JsonConfigurations.parse("[1, 2]", "list.json"))
                .getMessage().contains("one JSON object"));
        assertTrue(assertThrows(IOException.class, () -> JsonConfigurations.parse("{\"a\": {\"b\": 1}}", "n.json"))
                .getMessage().contains("property 'a': nested objects are not supported"));
        assertTrue(assertThrows(IOException.class, () -> JsonConfigurations.parse("{\"a\": [1, \"x\"]}", "m.json"))
                .getMessage().contains("values of one type"));
        assertTrue(assertThrows(IOException.class, () -> JsonConfigurations.parse("{\"a\": null}", "z.json"))
                .getMessage().contains("null is not a configuration value"));
    }
}
