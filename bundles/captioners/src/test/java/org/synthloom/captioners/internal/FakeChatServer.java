package org.synthloom.captioners.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local server that speaks the OpenAI chat-completions protocol, for tests: it records every
 * request and answers with what the test's handler returns.
 */
final class FakeChatServer implements AutoCloseable {

    /** What to answer: status, headers, body, and a delay before answering. */
    record Reply(int status, String body, String retryAfter, long delayMillis) {

        static Reply ok(String content) {
            return ok(content, "stop");
        }

        static Reply ok(String content, String finishReason) {
            JsonObject message = new JsonObject();
            message.addProperty("role", "assistant");
            message.addProperty("content", content);
            JsonObject choice = new JsonObject();
            choice.addProperty("index", 0);
            choice.add("message", message);
            choice.addProperty("finish_reason", finishReason);
            JsonArray choices = new JsonArray();
            choices.add(choice);
            JsonObject root = new JsonObject();
            root.addProperty("id", "chatcmpl-test");
            root.addProperty("object", "chat.completion");
            root.add("choices", choices);
            return new Reply(200, root.toString(), null, 0);
        }

        static Reply status(int status, String body) {
            return new Reply(status, body, null, 0);
        }

        Reply after(long millis) {
            return new Reply(status, body, retryAfter, millis);
        }

        Reply retryAfter(String value) {
            return new Reply(status, body, value, delayMillis);
        }
    }

    /** A recorded request. */
    record Received(String path, String authorization, JsonObject body) {

        /** @return the text of the last (user) message */
        String prompt() {
            JsonArray messages = body.getAsJsonArray("messages");
            return messages.get(messages.size() - 1).getAsJsonObject().get("content").getAsString();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /**
     * @param handler the answer to the n-th request (from 0) with its body
     */
    FakeChatServer(BiFunction<Integer, Received, Reply> handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        AtomicInteger count = new AtomicInteger();
        server.createContext("/v1/chat/completions", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Received r = new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        JsonParser.parseString(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                                .getAsJsonObject());
                int n;
                synchronized (received) {
                    n = count.getAndIncrement();
                    received.add(r);
                }
                Reply reply = handler.apply(n, r);
                if (reply.delayMillis() > 0) {
                    Thread.sleep(reply.delayMillis());
                }
                send(exchange, reply);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                send(exchange, Reply.status(599, "handler failed: " + e));
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (reply.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
        }
        try {
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client gave up (a time-out test)
        }
    }

    /** @return the base URL to configure, ending in /v1 */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** @return the requests so far, in arrival order */
    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** @return the most requests that were in flight at once */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /** @return a numbered list of captions "{prefix} 1" ... "{prefix} n", the way a model answers */
    static String numbered(String prefix, int n) {
        StringBuilder b = new StringBuilder("Here are ").append(n).append(" captions:\n\n");
        for (int i = 1; i <= n; i++) {
            b.append(i).append(". \"").append(prefix).append(' ').append(i).append("\"\n");
        }
        return b.toString();
    }

    /** @return the number the prompt asks for ("Write 5 different captions ...") */
    static int asked(Received r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Write (\\d+) ").matcher(r.prompt());
        if (!m.find()) {
            throw new IllegalStateException("no count in the prompt: " + r.prompt());
        }
        return Integer.parseInt(m.group(1));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
