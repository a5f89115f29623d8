package org.synthloom.captioners.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.api.generate.GenerationException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A client of one OpenAI-compatible {@code /chat/completions} endpoint: one non-streaming
 * completion per call, retried with exponential back-off and jitter on 429, 5xx, time-outs and
 * connection errors (a {@code Retry-After} header sets the delay), and answers cached on disk
 * under the hash of what determines them (model, messages, temperature, seed), so that a repeated
 * request is answered from disk, identically, without the server. Thread safe.
 */
final class ChatClient {

    private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);
    /** Longest wait a Retry-After header or the back-off may impose. */
    static final Duration MAX_DELAY = Duration.ofSeconds(120);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** One chat message. */
    record Message(String role, String content) {}

    /**
     * A completion.
     *
     * @param content the text the model answered
     * @param truncated true if the server stopped at the token limit ({@code finish_reason = length})
     * @param cached true if it came from the cache
     */
    record Answer(String content, boolean truncated, boolean cached) {}

    private final ChatSettings settings;
    private final String name;
    private final HttpClient http;

    /**
     * @param settings the server and its limits
     * @param name the generator's name, for messages
     */
    ChatClient(ChatSettings settings, String name) {
        this.settings = settings;
        this.name = name;
        // HTTP/1.1: local servers (llama.cpp, Ollama) do not all take the h2c upgrade well.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout()).build();
    }

    /** @return the settings */
    ChatSettings settings() {
        return settings;
    }

    /**
     * Completes a conversation, from the cache when it holds the answer.
     *
     * @param messages the conversation
     * @param seed the seed sent to the server, a non-negative int
     * @return the answer
     * @throws GenerationException if the server fails after the retries, refuses the request, or
     *     answers with something that is not a chat completion
     */
    Answer complete(List<Message> messages, long seed) throws GenerationException {
        JsonObject key = new JsonObject();
        key.addProperty("model", settings.model());
        JsonArray array = new JsonArray();
        for (Message m : messages) {
            JsonObject o = new JsonObject();
            o.addProperty("role", m.role());
            o.addProperty("content", m.content());
            array.add(o);
        }
        key.add("messages", array);
        key.addProperty("temperature", settings.temperature());
        key.addProperty("seed", seed);
        Path cacheFile = cacheFile(key);
        Optional<Answer> hit = read(cacheFile);
        if (hit.isPresent()) {
            return hit.get();
        }
        JsonObject body = new JsonObject();
        if (!settings.model().isEmpty()) {
            body.addProperty("model", settings.model());
        }
        body.add("messages", array);
        body.addProperty("temperature", settings.temperature());
        body.addProperty("max_tokens", settings.maxTokens());
        body.addProperty("seed", seed);
        body.addProperty("stream", false);
        Answer answer = send(body.toString());
        write(cacheFile, key, answer);
        return answer;
    }

    private Answer send(String body) throws GenerationException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.endpoint()).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!settings.apiKey().isEmpty()) {
            builder.header("Authorization", "Bearer " + settings.apiKey());
        }
        HttpRequest request = builder.build();
        String lastFailure = "";
        for (int attempt = 0; ; attempt++) {
            Duration delay = null;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status == 200) {
                    return parse(response.body());
                }
                lastFailure = "HTTP " + status + " " + snippet(response.body());
                if (status != 429 && status < 500) {
                    throw new GenerationException(name + ": the server at " + settings.endpoint() + " refused the request: "
                            + lastFailure + (status == 401 || status == 403 ? " (check api.key)" : "")
                            + (status == 404 ? " (check base.url, which should end in /v1, and model)" : ""));
                }
                delay = retryAfter(response.headers()).orElse(null);
            } catch (HttpTimeoutException e) {
                lastFailure = "no answer within " + settings.timeout().toSeconds() + " s (timeout.seconds)";
            } catch (IOException e) {
                lastFailure = "connection failed: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenerationException(name + ": interrupted while waiting for " + settings.endpoint(), e);
            }
            if (attempt >= settings.retries()) {
                throw new GenerationException(name + ": the server at " + settings.endpoint() + " failed " + (attempt + 1)
                        + " attempt(s): " + lastFailure);
            }
            if (delay == null) {
                delay = backoff(attempt);
            }
            LOG.info("{}: {} from {}; retrying in {} ms (retry {} of {})", name, lastFailure, settings.endpoint(),
                    delay.toMillis(), attempt + 1, settings.retries());
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenerationException(name + ": interrupted while waiting to retry " + settings.endpoint(), e);
            }
        }
    }

    /** Exponential back-off with "equal jitter": half the delay fixed, half random, so retries spread out. */
    private Duration backoff(int attempt) {
        long full = Math.min(MAX_DELAY.toMillis(), settings.backoffMillis() << Math.min(attempt, 20));
        long half = full / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    /** Retry-After in seconds or as an HTTP date, capped at {@link #MAX_DELAY}. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> header = headers.firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        Duration delay;
        try {
            delay = Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        } catch (NumberFormatException e) {
            try {
                delay = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, HTTP_DATE));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
        if (delay.isNegative()) {
            delay = Duration.ZERO;
        }
        return Optional.of(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
    }

    private Answer parse(String body) throws GenerationException {
        try {
            JsonElement root = JsonParser.parseString(body);
            if (!root.isJsonObject()) {
                throw new JsonParseException("the answer is not a JSON object");
            }
            JsonObject object = root.getAsJsonObject();
            if (object.has("error")) {
                throw new GenerationException(name + ": the server at " + settings.endpoint() + " answered with an error: "
                        + snippet(object.get("error").toString()));
            }
            JsonArray choices = object.getAsJsonArray("choices");
            if (choices == null || choices.isEmpty()) {
                throw new JsonParseException("no choices in the answer");
            }
            JsonObject choice = choices.get(0).getAsJsonObject();
            JsonObject message = choice.getAsJsonObject("message");
            JsonElement content = message == null ? null : message.get("content");
            if (content == null || !content.isJsonPrimitive()) {
                throw new JsonParseException("choices[0].message.content is missing");
            }
            JsonElement finish = choice.get("finish_reason");
            boolean truncated = finish != null && finish.isJsonPrimitive() && "length".equals(finish.getAsString());
            return new Answer(content.getAsString(), truncated, false);
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new GenerationException(name + ": the server at " + settings.endpoint()
                    + " did not answer with a chat completion (" + e.getMessage() + "): " + snippet(body), e);
        }
    }

    private Path cacheFile(JsonObject key) {
        if (settings.cacheDirectory() == null) {
            return null;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(hash);
            return settings.cacheDirectory().resolve(hex.substring(0, 2)).resolve(hex + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private Optional<Answer> read(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject entry = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            return Optional.of(new Answer(entry.get("content").getAsString(), entry.get("truncated").getAsBoolean(), true));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: the cached answer {} cannot be read ({}); asking the server again", name, file, e.toString());
            return Optional.empty();
        }
    }

    private void write(Path file, JsonObject key, Answer answer) throws GenerationException {
        if (file == null) {
            return;
        }
        JsonObject entry = key.deepCopy();
        entry.addProperty("content", answer.content());
        entry.addProperty("truncated", answer.truncated());
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".answer", ".tmp");
            Files.writeString(temp, entry.toString(), StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new GenerationException(name + ": the answer cannot be cached in " + file.getParent() + " (cache.directory): "
                    + e, e);
        }
    }

    private static String snippet(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
