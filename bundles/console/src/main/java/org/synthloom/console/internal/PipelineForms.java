package org.synthloom.console.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.metatype.AttributeDefinition;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Pipeline forms from Metatype: the fields (type, default, description, options) and the checking
 * of submitted values against them, before anything reaches ConfigAdmin. A submission is refused
 * whole, with one message per bad field, and changes nothing.
 */
final class PipelineForms {

    private final Map<String, AttributeDefinition> fields = new LinkedHashMap<>();

    /** @param definitions the attribute definitions of the pipeline factory PID */
    PipelineForms(AttributeDefinition[] definitions) {
        for (AttributeDefinition ad : definitions) {
            fields.put(ad.getID(), ad);
        }
    }

    /** @return the fields in Metatype order */
    Map<String, AttributeDefinition> fields() {
        return fields;
    }

    /** @return the form description: one object per field */
    JsonArray describe() {
        JsonArray out = new JsonArray();
        for (AttributeDefinition ad : fields.values()) {
            JsonObject f = new JsonObject();
            f.addProperty("id", ad.getID());
            f.addProperty("name", ad.getName());
            f.addProperty("description", ad.getDescription() == null ? "" : ad.getDescription());
            f.addProperty("type", typeName(ad.getType()));
            f.addProperty("cardinality", ad.getCardinality());
            String[] defaults = ad.getDefaultValue();
            if (defaults != null) {
                JsonArray d = new JsonArray();
                for (String v : defaults) {
                    if (ad.getCardinality() == 0 || !v.isEmpty()) { // a list's "" default is an empty list
                        d.add(typed(ad.getType(), v));
                    }
                }
                f.add("default", ad.getCardinality() == 0 ? (d.isEmpty() ? new JsonPrimitive("") : d.get(0)) : d);
            }
            String[] values = ad.getOptionValues();
            String[] labels = ad.getOptionLabels();
            if (values != null && values.length > 0) {
                JsonArray options = new JsonArray();
                for (int i = 0; i < values.length; i++) {
                    JsonObject o = new JsonObject();
                    o.addProperty("value", values[i]);
                    o.addProperty("label", labels != null && i < labels.length ? labels[i] : values[i]);
                    options.add(o);
                }
                f.add("options", options);
            }
            out.add(f);
        }
        return out;
    }

    static String typeName(int type) {
        return switch (type) {
            case AttributeDefinition.STRING -> "string";
            case AttributeDefinition.LONG -> "long";
            case AttributeDefinition.INTEGER -> "integer";
            case AttributeDefinition.SHORT -> "short";
            case AttributeDefinition.BYTE -> "byte";
            case AttributeDefinition.DOUBLE -> "double";
            case AttributeDefinition.FLOAT -> "float";
            case AttributeDefinition.BOOLEAN -> "boolean";
            case AttributeDefinition.CHARACTER -> "char";
            case AttributeDefinition.PASSWORD -> "password";
            default -> "string";
        };
    }

    private static JsonPrimitive typed(int type, String value) {
        try {
            return switch (type) {
                case AttributeDefinition.LONG, AttributeDefinition.INTEGER, AttributeDefinition.SHORT,
                        AttributeDefinition.BYTE -> new JsonPrimitive(Long.parseLong(value.trim()));
                case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> new JsonPrimitive(Double.parseDouble(value.trim()));
                case AttributeDefinition.BOOLEAN -> new JsonPrimitive(Boolean.parseBoolean(value.trim()));
                default -> new JsonPrimitive(value);
            };
        } catch (NumberFormatException e) {
            return new JsonPrimitive(value);
        }
    }

    /**
     * Checks submitted values and converts them to the types ConfigAdmin stores.
     *
     * @param values field id to JSON value; fields left out keep their default
     * @return the configuration properties
     * @throws ApiException 400 listing every bad field as {@code id: message}
     */
    Hashtable<String, Object> convert(JsonObject values) {
        List<String> problems = new ArrayList<>();
        Hashtable<String, Object> properties = new Hashtable<>();
        for (Map.Entry<String, JsonElement> e : values.entrySet()) {
            AttributeDefinition ad = fields.get(e.getKey());
            if (ad == null) {
                problems.add(e.getKey() + ": not a property of a pipeline");
                continue;
            }
            try {
                Object value = ad.getCardinality() == 0 ? scalar(ad, e.getValue()) : array(ad, e.getValue());
                if (value != null) {
                    String problem = validate(ad, value);
                    if (problem != null) {
                        problems.add(e.getKey() + ": " + problem);
                        continue;
                    }
                    properties.put(ad.getID(), value);
                }
            } catch (IllegalArgumentException bad) {
                problems.add(e.getKey() + ": " + bad.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(400, problems.size() == 1 ? "a value is not valid: " + problems.get(0)
                    : problems.size() + " values are not valid", problems);
        }
        return properties;
    }

    /** Metatype's own check (options, minimum, maximum), in words. */
    private static String validate(AttributeDefinition ad, Object value) {
        String text;
        if (value instanceof Object[] array) {
            List<String> parts = new ArrayList<>();
            for (Object o : array) {
                parts.add(String.valueOf(o).replace(",", "\\,"));
            }
            text = String.join(",", parts);
            if (array.length == 0) {
                return null;
            }
        } else {
            text = String.valueOf(value);
        }
        String result = ad.validate(text);
        if (result == null || result.isEmpty()) {
            return null;
        }
        // Felix answers with keys for localisation: %less than minimum, %not a valid option, ...
        String words = result.startsWith("%") ? result.substring(1) : result;
        String[] options = ad.getOptionValues();
        if (options != null && options.length > 0 && words.contains("not a valid option")) {
            words = "not a valid option (one of " + String.join(", ", options) + ")";
        } else if (words.equals("invalid value")) {
            words = "not a valid value";
        } else if (words.equals("missing required value")) {
            return "a value is required";
        }
        return "'" + text + "' is " + words;
    }

    private static Object scalar(AttributeDefinition ad, JsonElement v) {
        if (v == null || v.isJsonNull()) {
            return null; // the default applies
        }
        if (!v.isJsonPrimitive()) {
            throw new IllegalArgumentException("expected " + expected(ad.getType()) + ", got " + ApiRequest.kind(v));
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        int type = ad.getType();
        switch (type) {
            case AttributeDefinition.BOOLEAN -> {
                if (!p.isBoolean()) {
                    throw new IllegalArgumentException("expected true or false, got " + ApiRequest.kind(v) + " " + p);
                }
                return p.getAsBoolean();
            }
            case AttributeDefinition.INTEGER, AttributeDefinition.LONG, AttributeDefinition.SHORT, AttributeDefinition.BYTE -> {
                if (!p.isNumber()) {
                    throw new IllegalArgumentException("expected " + expected(type) + ", got " + ApiRequest.kind(v) + " " + p);
                }
                java.math.BigDecimal d = p.getAsBigDecimal();
                if (d.stripTrailingZeros().scale() > 0) {
                    throw new IllegalArgumentException("expected " + expected(type) + ", got " + p);
                }
                long l;
                try {
                    l = d.longValueExact();
                } catch (ArithmeticException tooLarge) {
                    throw new IllegalArgumentException(p + " is out of range");
                }
                if (type == AttributeDefinition.INTEGER) {
                    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException(p + " is out of range for an integer");
                    }
                    return (int) l;
                }
                if (type == AttributeDefinition.SHORT) {
                    return (short) l;
                }
                if (type == AttributeDefinition.BYTE) {
                    return (byte) l;
                }
                return l;
            }
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> {
                if (!p.isNumber()) {
                    throw new IllegalArgumentException("expected a number, got " + ApiRequest.kind(v) + " " + p);
                }
                double d = p.getAsDouble();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("expected a finite number, got " + p);
                }
                return type == AttributeDefinition.FLOAT ? (Object) (float) d : (Object) d;
            }
            default -> {
                if (!p.isString()) {
                    throw new IllegalArgumentException("expected a string, got " + ApiRequest.kind(v) + " " + p);
                }
                return p.getAsString();
            }
        }
    }

    private static Object array(AttributeDefinition ad, JsonElement v) {
        if (v == null || v.isJsonNull()) {
            return null;
        }
        if (!v.isJsonArray()) {
            throw new IllegalArgumentException("expected a list (one value per item), got " + ApiRequest.kind(v));
        }
        JsonArray a = v.getAsJsonArray();
        int limit = Math.abs(ad.getCardinality());
        if (limit != Integer.MAX_VALUE && a.size() > limit) {
            throw new IllegalArgumentException("at most " + limit + " values, got " + a.size());
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            try {
                Object o = scalar(ad, a.get(i));
                if (o == null) {
                    throw new IllegalArgumentException("null is not a value");
                }
                values.add(o);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("item " + (i + 1) + ": " + e.getMessage());
            }
        }
        return switch (ad.getType()) {
            case AttributeDefinition.INTEGER -> values.toArray(new Integer[0]);
            case AttributeDefinition.LONG -> values.toArray(new Long[0]);
            case AttributeDefinition.DOUBLE -> values.toArray(new Double[0]);
            case AttributeDefinition.FLOAT -> values.toArray(new Float[0]);
            case AttributeDefinition.BOOLEAN -> values.toArray(new Boolean[0]);
            case AttributeDefinition.SHORT -> values.toArray(new Short[0]);
            case AttributeDefinition.BYTE -> values.toArray(new Byte[0]);
            default -> values.toArray(new String[0]);
        };
    }

    private static String expected(int type) {
        return switch (type) {
            case AttributeDefinition.INTEGER, AttributeDefinition.SHORT, AttributeDefinition.BYTE -> "an integer";
            case AttributeDefinition.LONG -> "an integer";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "a number";
            case AttributeDefinition.BOOLEAN -> "true or false";
            default -> "a string";
        };
    }

    /** @return stored configuration properties as JSON, only the form's fields */
    JsonObject values(java.util.Dictionary<String, Object> properties) {
        JsonObject out = new JsonObject();
        if (properties == null) {
            return out;
        }
        for (String id : fields.keySet()) {
            Object v = properties.get(id);
            if (v != null) {
                out.add(id, ComponentsApi.value(v));
            }
        }
        return out;
    }
}
