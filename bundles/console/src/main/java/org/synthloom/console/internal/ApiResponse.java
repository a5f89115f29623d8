package org.synthloom.console.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * What a handler answers: status, content type, bytes, extra headers.
 *
 * @param status HTTP status
 * @param contentType the media type
 * @param body the bytes
 * @param headers extra headers (e.g. Content-Disposition)
 */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    /** Gson escapes {@code < > & = '} in strings by default, so JSON never carries live HTML. */
    static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    static ApiResponse json(int status, JsonElement json) {
        return new ApiResponse(status, "application/json; charset=utf-8", GSON.toJson(json).getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    static ApiResponse ok(JsonElement json) {
        return json(200, json);
    }

    static ApiResponse bytes(String contentType, byte[] body) {
        return new ApiResponse(200, contentType, body, Map.of());
    }

    /** @return this response offered as a file download named {@code filename} (a checked, safe name) */
    ApiResponse attachment(String filename) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        return new ApiResponse(status, contentType, body, h);
    }

    /** @return the JSON error body for a refused request */
    static ApiResponse error(ApiException e) {
        JsonObject error = new JsonObject();
        error.addProperty("status", e.status());
        error.addProperty("message", e.getMessage());
        if (!e.details().isEmpty()) {
            JsonArray details = new JsonArray();
            e.details().forEach(details::add);
            error.add("details", details);
        }
        JsonObject body = new JsonObject();
        body.add("error", error);
        return json(e.status(), body);
    }
}
