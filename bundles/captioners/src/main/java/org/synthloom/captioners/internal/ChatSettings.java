package org.synthloom.captioners.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach an OpenAI-compatible chat-completions server (llama.cpp's server, vLLM, Ollama,
 * OpenAI): validated configuration shared by the {@code openai} and {@code in-context} generators.
 *
 * @param baseUrl the API base, e.g. {@code http://localhost:8080/v1}; empty when not configured
 * @param model the model name sent with each request; empty sends none (llama.cpp serves the model it loaded)
 * @param apiKey the bearer token; empty sends none. Never logged, never part of a cache key
 * @param temperature the sampling temperature sent to the server
 * @param maxTokens the answer's token limit
 * @param concurrency requests in flight at once
 * @param timeout how long one request may take
 * @param retries further attempts after a failed one (429, 5xx, time-out, connection error)
 * @param backoffMillis the first retry's delay; doubled each retry, with jitter
 * @param cacheDirectory where answers are cached, or null for no cache
 */
record ChatSettings(String baseUrl, String model, String apiKey, double temperature, int maxTokens, int concurrency,
        Duration timeout, int retries, long backoffMillis, Path cacheDirectory) {

    /**
     * Validates configuration values.
     *
     * @param pid the configuration's PID, named in errors
     * @param dataDirectory the data directory a relative cache directory resolves against
     * @return the settings
     * @throws IllegalArgumentException naming the PID, the property and the bad value
     */
    static ChatSettings of(String pid, String baseUrl, String model, String apiKey, double temperature, int maxTokens,
            int concurrency, int timeoutSeconds, int retries, long backoffMillis, String cacheDirectory, Path dataDirectory) {
        String base = baseUrl == null ? "" : baseUrl.strip();
        if (!base.isEmpty()) {
            try {
                URI uri = new URI(base);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(base, "not an http(s) URL with a host");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(pid + ": base.url '" + base + "' is not an http(s) URL such as"
                        + " http://localhost:8080/v1 (" + e.getReason() + ")", e);
            }
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
        }
        require(pid, "temperature", temperature, temperature >= 0 && temperature <= 2, "between 0 and 2");
        require(pid, "max.tokens", maxTokens, maxTokens > 0, "positive");
        require(pid, "batch.size", concurrency, concurrency > 0 && concurrency <= 256, "between 1 and 256");
        require(pid, "timeout.seconds", timeoutSeconds, timeoutSeconds > 0, "positive");
        require(pid, "retries", retries, retries >= 0 && retries <= 20, "between 0 and 20");
        require(pid, "retry.backoff.millis", backoffMillis, backoffMillis >= 0, "0 or more");
        String cache = cacheDirectory == null ? "" : cacheDirectory.strip();
        return new ChatSettings(base, model == null ? "" : model.strip(), apiKey == null ? "" : apiKey.strip(), temperature,
                maxTokens, concurrency, Duration.ofSeconds(timeoutSeconds), retries, backoffMillis,
                cache.isEmpty() ? null : Home.resolve(dataDirectory, cache));
    }

    static void require(String pid, String property, Object value, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(pid + ": " + property + " must be " + expected + ", not " + value);
        }
    }

    /** @return true if a server is configured */
    boolean configured() {
        return !baseUrl.isEmpty();
    }

    /** @return the chat-completions endpoint */
    URI endpoint() {
        return URI.create(baseUrl + "/chat/completions");
    }

    /** Leaves the API key out, so that logging the settings cannot leak it. */
    @Override
    public String toString() {
        return "ChatSettings[" + baseUrl + ", model " + (model.isEmpty() ? "(server's)" : model) + ", temperature "
                + temperature + ", api key " + (apiKey.isEmpty() ? "none" : "set") + "]";
    }
}
