package org.synthloom.runtime.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

/**
 * Parses a JSON configuration file into ConfigAdmin properties and says which configuration it is.
 *
 * <p>The file name follows FileInstall's convention: {@code <pid>.json} configures a PID,
 * {@code <factoryPid>-<name>.json} a named factory configuration. The content is one JSON object of
 * properties; comments ({@code //} and {@code #}) are allowed, as in the OSGi Configurator's JSON.
 * Values map to strings, booleans, {@code Long} (integral numbers), {@code Double}, and arrays of
 * one of those types.
 */
final class JsonConfigurations {

    /** Which configuration a file holds. */
    record Target(String pid, String factoryPid, String name) {
        boolean isFactory() {
            return factoryPid != null;
        }

        @Override
        public String toString() {
            return isFactory() ? factoryPid + "~" + name : pid;
        }
    }

    private JsonConfigurations() {}

    static Target target(Path file) {
        String base = file.getFileName().toString();
        base = base.substring(0, base.length() - ".json".length());
        int dash = base.indexOf('-');
        return dash > 0 ? new Target(null, base.substring(0, dash), base.substring(dash + 1)) : new Target(base, null, null);
    }

    static Hashtable<String, Object> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    static Hashtable<String, Object> parse(String text, String fileName) throws IOException {
        JsonElement root;
        try (Reader reader = new StringReader(text)) {
            JsonReader json = new JsonReader(reader);
            json.setStrictness(Strictness.LENIENT);
            root = JsonParser.parseReader(json);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(fileName + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IOException(fileName + " must hold one JSON object of configuration properties");
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            properties.put(e.getKey(), value(e.getValue(), fileName + ": property '" + e.getKey() + "'"));
        }
        return properties;
    }

    private static Object value(JsonElement element, String where) throws IOException {
        if (element.isJsonPrimitive()) {
            return primitive(element.getAsJsonPrimitive());
        }
        if (element.isJsonArray()) {
            JsonArray array = element.getAsJsonArray();
            List<Object> values = new ArrayList<>();
            for (JsonElement item : array) {
                if (!item.isJsonPrimitive()) {
                    throw new IOException(where + ": arrays may only hold strings, numbers or booleans");
                }
                values.add(primitive(item.getAsJsonPrimitive()));
            }
            Class<?> type = values.isEmpty() ? String.class : values.get(0).getClass();
            for (Object v : values) {
                if (v.getClass() != type) {
                    throw new IOException(where + ": an array must hold values of one type (found "
                            + type.getSimpleName() + " and " + v.getClass().getSimpleName() + ")");
                }
            }
            Object typed = java.lang.reflect.Array.newInstance(type, values.size());
            for (int i = 0; i < values.size(); i++) {
                java.lang.reflect.Array.set(typed, i, values.get(i));
            }
            return typed;
        }
        if (element.isJsonObject()) {
            throw new IOException(where + ": nested objects are not supported; use flat, dotted keys"
                    + " such as \"train.steps\": 300");
        }
        throw new IOException(where + ": null is not a configuration value; leave the property out instead");
    }

    private static Object primitive(JsonPrimitive p) {
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            java.math.BigDecimal number = p.getAsBigDecimal();
            if (number.stripTrailingZeros().scale() <= 0 && number.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                    && !p.getAsString().contains(".") && !p.getAsString().toLowerCase().contains("e")) {
                return number.longValueExact();
            }
            return number.doubleValue();
        }
        return p.getAsString();
    }
}
