package org.synthloom.console.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class PipelineFormsTest {

    /** An attribute with an optional minimum and options; validate answers as Felix's does (%-keys). */
    private record Field(String id, int type, int cardinality, Double minimum, String[] options, String... defaults)
            implements AttributeDefinition {
        @Override
        public String getName() {
            return id.toUpperCase();
        }

        @Override
        public String getID() {
            return id;
        }

        @Override
        public String getDescription() {
            return "about " + id;
        }

        @Override
        public int getCardinality() {
            return cardinality;
        }

        @Override
        public int getType() {
            return type;
        }

        @Override
        public String[] getOptionValues() {
            return options;
        }

        @Override
        public String[] getOptionLabels() {
            return options;
        }

        @Override
        public String validate(String value) {
            if (options != null && !java.util.List.of(options).contains(value)) {
                return "%not a valid option";
            }
            if (minimum != null && Double.parseDouble(value) < minimum) {
                return "%less than minimum";
            }
            return "";
        }

        @Override
        public String[] getDefaultValue() {
            return defaults;
        }
    }

    private final PipelineForms forms = new PipelineForms(new AttributeDefinition[] {
        new Field("batch.size", AttributeDefinition.INTEGER, 0, 1.0, null, "64"),
        new Field("seed", AttributeDefinition.LONG, 0, null, null, "42"),
        new Field("learning.rate", AttributeDefinition.DOUBLE, 0, 0.0, null, "0.001"),
        new Field("schedule", AttributeDefinition.STRING, 0, null, new String[] {"cosine", "constant"}, "cosine"),
        new Field("concepts", AttributeDefinition.STRING, Integer.MAX_VALUE, null, null),
        new Field("flag", AttributeDefinition.BOOLEAN, 0, null, null, "false")});

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void convertsToTheTypesConfigAdminStores() {
        Hashtable<String, Object> p = forms.convert(json("{\"batch.size\": 16, \"seed\": 12345678901, \"learning.rate\": 2e-3,"
                + "\"schedule\": \"constant\", \"concepts\": [\"red circle\", \"a, b\"], \"flag\": true, \"seed\": 7}"));
        assertEquals(16, p.get("batch.size"));
        assertEquals(7L, p.get("seed"));
        assertEquals(0.002, p.get("learning.rate"));
        assertEquals("constant", p.get("schedule"));
        assertArrayEquals(new String[] {"red circle", "a, b"}, (String[]) p.get("concepts"));
        assertEquals(true, p.get("flag"));
        assertEquals(Integer.class, p.get("batch.size").getClass());
        assertTrue(forms.convert(json("{\"batch.size\": null}")).isEmpty(), "null keeps the default");
        assertEquals(32, forms.convert(json("{\"batch.size\": 32.0}")).get("batch.size"));
    }

    @Test
    void listsEveryBadFieldWithWhatWasExpected() {
        ApiException e = assertThrows(ApiException.class, () -> forms.convert(json("{\"batch.size\": \"64\", \"seed\": 1.5,"
                + "\"learning.rate\": -1, \"schedule\": \"linear\", \"concepts\": \"red\", \"flag\": \"yes\", \"other\": 1,"
                + "\"batch.size\": 3000000000}")));
        assertEquals(400, e.status());
        String all = String.join("\n", e.details());
        assertEquals(7, e.details().size(), all);
        assertTrue(all.contains("batch.size: 3000000000 is out of range for an integer"), all);
        assertTrue(all.contains("seed: expected an integer, got 1.5"), all);
        assertTrue(all.contains("learning.rate: '-1.0' is less than minimum"), all);
        assertTrue(all.contains("schedule: 'linear' is not a valid option (one of cosine, constant)"), all);
        assertTrue(all.contains("concepts: expected a list (one value per item), got a string"), all);
        assertTrue(all.contains("flag: expected true or false, got a string \"yes\""), all);
        assertTrue(all.contains("other: not a property of a pipeline"), all);
        ApiException item = assertThrows(ApiException.class, () -> forms.convert(json("{\"concepts\": [\"a\", 3]}")));
        assertEquals("a value is not valid: concepts: item 2: expected a string, got a number 3", item.getMessage());
    }

    @Test
    void describesTheFormWithTypedDefaults() {
        var fields = forms.describe();
        assertEquals(6, fields.size());
        JsonObject batch = fields.get(0).getAsJsonObject();
        assertEquals("integer", batch.get("type").getAsString());
        assertEquals(64, batch.get("default").getAsInt());
        assertEquals("about batch.size", batch.get("description").getAsString());
        assertEquals("cosine", fields.get(3).getAsJsonObject().getAsJsonArray("options").get(0).getAsJsonObject()
                .get("value").getAsString());
    }
}
