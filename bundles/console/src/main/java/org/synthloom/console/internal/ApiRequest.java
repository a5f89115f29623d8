package org.synthloom.console.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * An HTTP request as the API handlers see it, independent of Jetty so that they can be tested
 * without a server.
 *
 * @param method upper-case HTTP method
 * @param path the decoded path, e.g. {@code /api/v1/runs/x/pause}
 * @param query query parameters (first value of each)
 * @param headers headers by lower-case name
 * @param body the body, at most the route's limit
 * @param params path parameters of the matched route, e.g. {@code id}
 */
record ApiRequest(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body,
        Map<String, String> params) {

    /** @return the same request with the matched route's path parameters */
    ApiRequest withParams(Map<String, String> matched) {
        return new ApiRequest(method, path, query, headers, body, matched);
    }

    /** @return a header's value, or null; the name is case-insensitive */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** @return a path parameter; the route guarantees it exists */
    String param(String name) {
        return params.get(name);
    }

    /** @return a query parameter, or the fallback */
    String query(String name, String fallback) {
        String value = query.get(name);
        return value == null ? fallback : value;
    }

    /** @return an integer query parameter within bounds, or the fallback; 400 if it is not an integer */
    int queryInt(String name, int fallback, int min, int max) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw ApiException.badRequest("query parameter '" + name + "' must be between " + min + " and " + max
                        + ", not " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer, not '" + value + "'");
        }
    }

    /** @return the body parsed as a JSON object; 400 naming the problem if it is not one */
    JsonObject json() {
        if (body.length == 0) {
            throw ApiException.badRequest("the request has no body; a JSON object was expected");
        }
        String type = header("content-type");
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "the body must be application/json, not " + type);
        }
        JsonElement element;
        try {
            element = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + rootMessage(e));
        }
        if (!element.isJsonObject()) {
            throw ApiException.badRequest("the body must be a JSON object, not " + kind(element));
        }
        return element.getAsJsonObject();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** @return a short description of a JSON value's kind, for messages */
    static String kind(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonArray()) {
            return "an array";
        }
        if (element.isJsonObject()) {
            return "an object";
        }
        var p = element.getAsJsonPrimitive();
        return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
    }

    /** @return the value of a string field of a JSON object; 400 if absent or not a string */
    static String string(JsonObject json, String field) {
        JsonElement e = json.get(field);
        if (e == null || e.isJsonNull()) {
            throw ApiException.badRequest("the field '" + field + "' is missing");
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw ApiException.badRequest("the field '" + field + "' must be a string, not " + kind(e));
        }
        return e.getAsString();
    }

    static List<String> none() {
        return List.of();
    }
}
