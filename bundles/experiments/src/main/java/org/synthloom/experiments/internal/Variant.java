package org.synthloom.experiments.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A named set of pipeline settings that differ from the base pipeline, written in an experiment's
 * configuration as {@code "name: key=value; key=value"} (pipeline property names, e.g.
 * {@code human.limit=250; captions.per.concept=0}). A value keeps everything after its first
 * {@code =}, so LDAP filters are fine; a list is written {@code [a, b]}.
 *
 * @param name the variant's name: letters, digits, {@code .}, {@code _} or {@code -}
 * @param settings property name to raw value, in the order written
 */
record Variant(String name, Map<String, String> settings) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");

    Variant {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * @param text {@code "name"} or {@code "name: key=value; key=value"}
     * @return the variant
     * @throws IllegalArgumentException naming what is wrong
     */
    static Variant parse(String text) {
        String trimmed = text.trim();
        int colon = trimmed.indexOf(':');
        String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("variant '" + text + "': the name '" + name
                    + "' must be letters, digits, '.', '_' or '-' (write \"name: key=value; key=value\")");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String part : trimmed.substring(colon + 1).split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String key = eq < 0 ? "" : part.substring(0, eq).trim();
                if (eq < 0 || !KEY.matcher(key).matches()) {
                    throw new IllegalArgumentException("variant '" + name + "': '" + part.trim()
                            + "' is not key=value");
                }
                if (settings.put(key, part.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException("variant '" + name + "' sets '" + key + "' twice");
                }
            }
        }
        return new Variant(name, settings);
    }
}
