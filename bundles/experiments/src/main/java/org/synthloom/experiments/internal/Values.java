package org.synthloom.experiments.internal;

import java.util.Arrays;
import java.util.Locale;

import org.osgi.service.metatype.AttributeDefinition;

/**
 * Turns a variant's written value into the type a pipeline property has: the type its Metatype
 * declares, else the type of the base configuration's value, else what the text looks like.
 */
final class Values {

    private Values() {}

    /**
     * @param key the property, for messages
     * @param raw the written value; {@code [a, b]} is a list
     * @param metatypeType an {@link AttributeDefinition} type constant, or 0 if unknown
     * @param list whether the property holds several values (Metatype cardinality, or the base value)
     * @param example the base configuration's value, or null
     * @return the typed value
     * @throws IllegalArgumentException if the text is not of the property's type
     */
    static Object convert(String key, String raw, int metatypeType, boolean list, Object example) {
        String text = raw.trim();
        boolean written = text.startsWith("[") && text.endsWith("]");
        if (list || written || example instanceof String[]) {
            String inner = written ? text.substring(1, text.length() - 1) : text;
            String[] parts = inner.isBlank() ? new String[0] : Arrays.stream(inner.split(",")).map(String::trim)
                    .toArray(String[]::new);
            Object component = example != null && example.getClass().isArray() && java.lang.reflect.Array.getLength(example) > 0
                    ? java.lang.reflect.Array.get(example, 0) : null;
            Object[] typed = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                typed[i] = scalar(key, parts[i], metatypeType, component);
            }
            return array(typed, metatypeType, component);
        }
        return scalar(key, text, metatypeType, example);
    }

    private static Object scalar(String key, String text, int metatypeType, Object example) {
        try {
            return switch (metatypeType) {
                case AttributeDefinition.INTEGER -> Integer.valueOf(text);
                case AttributeDefinition.LONG -> Long.valueOf(text);
                case AttributeDefinition.DOUBLE -> Double.valueOf(text);
                case AttributeDefinition.FLOAT -> Float.valueOf(text);
                case AttributeDefinition.BOOLEAN -> bool(key, text);
                case AttributeDefinition.STRING -> text;
                default -> byExample(key, text, example);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "': '" + text + "' is not a " + typeName(metatypeType, example));
        }
    }

    private static Object byExample(String key, String text, Object example) {
        if (example instanceof Integer) {
            return Integer.valueOf(text);
        }
        if (example instanceof Long) {
            return Long.valueOf(text);
        }
        if (example instanceof Double || example instanceof Float) {
            return Double.valueOf(text);
        }
        if (example instanceof Boolean) {
            return bool(key, text);
        }
        if (example instanceof String) {
            return text;
        }
        // Unknown property: take the text at its word.
        if (text.matches("-?\\d+")) {
            long value = Long.parseLong(text);
            return value == (int) value ? (Object) (int) value : (Object) value;
        }
        if (text.matches("-?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?")) {
            return Double.valueOf(text);
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        return text;
    }

    private static Boolean bool(String key, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
            throw new IllegalArgumentException("'" + key + "': '" + text + "' is not true or false");
        }
        return Boolean.valueOf(t);
    }

    private static Object array(Object[] values, int metatypeType, Object component) {
        Class<?> type = switch (metatypeType) {
            case AttributeDefinition.INTEGER -> int.class;
            case AttributeDefinition.LONG -> long.class;
            case AttributeDefinition.DOUBLE -> double.class;
            case AttributeDefinition.BOOLEAN -> boolean.class;
            case AttributeDefinition.STRING -> String.class;
            default -> component instanceof Integer ? int.class : component instanceof Long ? long.class
                    : component instanceof Double ? double.class : String.class;
        };
        Object array = java.lang.reflect.Array.newInstance(type, values.length);
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (type == String.class) {
                v = String.valueOf(v);
            }
            java.lang.reflect.Array.set(array, i, v);
        }
        return array;
    }

    private static String typeName(int metatypeType, Object example) {
        return switch (metatypeType) {
            case AttributeDefinition.INTEGER, AttributeDefinition.LONG -> "whole number";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "number";
            default -> example == null ? "value" : example.getClass().getSimpleName();
        };
    }
}
