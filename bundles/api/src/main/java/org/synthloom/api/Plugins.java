package org.synthloom.api;

/**
 * The service properties that identify a plugin, and the filters that select one.
 *
 * <p>A pipeline configuration targets its components with these filters, e.g.
 * {@code "objective.target": "(&(synthloom.kind=objective)(synthloom.name=clip))"}.
 */
public final class Plugins {

    /** Service property naming the kind of plugin, e.g. {@code caption-generator}. */
    public static final String KIND = "synthloom.kind";

    /** Service property naming the plugin among those of its kind, e.g. {@code class-prompt}. */
    public static final String NAME = "synthloom.name";

    private Plugins() {}

    /**
     * Builds the LDAP filter that selects the plugin of a kind with a name.
     *
     * @param kind the kind, e.g. {@code objective}
     * @param name the name, e.g. {@code clip}
     * @return a filter such as {@code (&(synthloom.kind=objective)(synthloom.name=clip))}
     */
    public static String filter(String kind, String name) {
        return "(&(" + KIND + "=" + escape(kind) + ")(" + NAME + "=" + escape(name) + "))";
    }

    /**
     * Builds the LDAP filter that selects any plugin of a kind.
     *
     * @param kind the kind, e.g. {@code evaluator}
     * @return a filter such as {@code (synthloom.kind=evaluator)}
     */
    public static String filter(String kind) {
        return "(" + KIND + "=" + escape(kind) + ")";
    }

    /** Escapes the characters that are special in an LDAP filter value (RFC 1960). */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
