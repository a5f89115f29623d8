package org.synthloom.captioners.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;
import org.synthloom.api.generate.GenerationException;
import org.synthloom.captioners.internal.FakeChatServer.Received;
import org.synthloom.captioners.internal.FakeChatServer.Reply;
import org.synthloom.testkit.Configs;

class OpenAiCaptionerTest {

    @TempDir
    Path home;

    private OpenAiCaptioner captioner(FakeChatServer server, Map<String, ?> more) {
        Map<String, Object> p = new HashMap<>();
        p.put("base.url", server.baseUrl());
        p.put("model", "tiny-llm");
        p.put("retry.backoff.millis", 10L);
        p.put("timeout.seconds", 5);
        p.putAll(more);
        return new OpenAiCaptioner("1.0.0", home, Configs.of(OpenAiConfig.class, p));
    }

    private static CaptionRequest request(int perConcept, long seed, String... concepts) {
        return new CaptionRequest(Stream.of(concepts).map(Concept::of).toList(), perConcept, seed, List.of());
    }

    private static List<String> texts(List<GeneratedCaption> captions) {
        return captions.stream().map(c -> c.caption().text()).toList();
    }

    /** Answers each request with exactly the captions it asked for, naming the concept. */
    private static Reply obliging(int n, Received r) {
        String concept = r.prompt().replaceAll("(?s).*photos of (.*?)\\. Each.*", "$1");
        return Reply.ok(FakeChatServer.numbered(concept + " caption " + n, FakeChatServer.asked(r)));
    }

    @Test
    void withoutABaseUrlGenerateFailsSayingSo() {
        OpenAiCaptioner c = new OpenAiCaptioner("1", home, Configs.defaults(OpenAiConfig.class));
        GenerationException e = assertThrows(GenerationException.class, () -> c.generate(request(1, 1, "dog")));
        assertTrue(e.getMessage().contains("base.url is not configured") && e.getMessage().contains(OpenAiCaptioner.PID),
                e.getMessage());
    }

    @Test
    void asksForTheCaptionsAndParsesTheNumberedListGroupedByConcept() throws Exception {
        try (FakeChatServer server = new FakeChatServer(OpenAiCaptionerTest::obliging)) {
            OpenAiCaptioner c = captioner(server, Map.of("api.key", "sk-secret-123", "temperature", 0.5, "max.tokens", 300,
                    "batch.size", 1));
            List<GeneratedCaption> captions = c.generate(request(5, 42, "red fox", "teapot"));
            assertEquals(10, captions.size());
            for (int i = 0; i < 10; i++) {
                String concept = i < 5 ? "red fox" : "teapot";
                assertEquals(concept, captions.get(i).concept().name());
                // numbering, quotes and the preamble are gone
                assertTrue(captions.get(i).caption().text().matches(concept + " caption \\d \\d"),
                        captions.get(i).caption().text());
                assertEquals("openai", captions.get(i).caption().provenance().source());
            }
            List<Received> received = server.received();
            assertEquals(2, received.size());
            Received first = received.get(0);
            assertEquals("/v1/chat/completions", first.path());
            assertEquals("Bearer sk-secret-123", first.authorization());
            assertEquals("tiny-llm", first.body().get("model").getAsString());
            assertEquals(0.5, first.body().get("temperature").getAsDouble());
            assertEquals(300, first.body().get("max_tokens").getAsInt());
            assertTrue(first.body().get("seed").getAsLong() >= 0);
            assertFalse(first.body().get("stream").getAsBoolean());
            assertEquals("system", first.body().getAsJsonArray("messages").get(0).getAsJsonObject().get("role").getAsString());
            assertTrue(first.prompt().startsWith("Write 5 different captions for photos of red fox."), first.prompt());
            assertFalse(first.prompt().contains("{"), first.prompt());
            assertNotEquals(first.body().get("seed"), received.get(1).body().get("seed"));
        }
    }

    @Test
    void demonstrationsAreWrittenIntoThePrompt() throws Exception {
        try (FakeChatServer server = new FakeChatServer(OpenAiCaptionerTest::obliging)) {
            captioner(server, Map.of()).generate(new CaptionRequest(List.of(Concept.of("owl")), 2, 1,
                    List.of("a tabby cat asleep on a sofa", "a red car parked by the sea")));
            String prompt = server.received().get(0).prompt();
            assertTrue(prompt.contains("\nExamples of the style wanted:\n- a tabby cat asleep on a sofa\n- a red car parked"
                    + " by the sea\n"), prompt);
        }
    }

    @Test
    void splitsAConceptIntoRequestsAndSendsThemConcurrently() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> obliging(n, r).after(300))) {
            OpenAiCaptioner c = captioner(server, Map.of("captions.per.request", 5, "batch.size", 3));
            List<GeneratedCaption> captions = c.generate(request(12, 3, "kite", "owl"));
            assertEquals(24, captions.size());
            List<Integer> asked = server.received().stream().map(FakeChatServer::asked).sorted().toList();
            assertEquals(List.of(2, 2, 5, 5, 5, 5), asked);
            assertTrue(server.maxInFlight() >= 2 && server.maxInFlight() <= 3, "in flight: " + server.maxInFlight());
            // in concept order whatever order the answers came in
            assertTrue(texts(captions).subList(0, 12).stream().allMatch(t -> t.startsWith("kite")));
            assertTrue(texts(captions).subList(12, 24).stream().allMatch(t -> t.startsWith("owl")));
        }
    }

    @Test
    void retriesAfterAServerError() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> n == 0 ? Reply.status(500, "{\"error\":\"busy\"}")
                : obliging(n, r))) {
            List<GeneratedCaption> captions = captioner(server, Map.of()).generate(request(3, 1, "cup"));
            assertEquals(3, captions.size());
            assertEquals(2, server.received().size());
            assertEquals(server.received().get(0).body(), server.received().get(1).body());
        }
    }

    @Test
    void honoursRetryAfterOnA429() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> n == 0
                ? Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}").retryAfter("1") : obliging(n, r))) {
            // back-off 0: only the Retry-After header can make it wait
            OpenAiCaptioner c = captioner(server, Map.of("retry.backoff.millis", 0L));
            long start = System.nanoTime();
            assertEquals(3, c.generate(request(3, 1, "cup")).size());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 0.95, "waited " + seconds + " s");
            assertEquals(2, server.received().size());
        }
    }

    @Test
    void retryAfterAsAnHttpDateIsHonouredAndCapped() {
        assertEquals(ChatClient.MAX_DELAY, ChatClient.retryAfter(headers("100000")).orElseThrow());
        assertEquals(1500, ChatClient.retryAfter(headers("1.5")).orElseThrow().toMillis());
        String inTwoSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(3));
        long millis = ChatClient.retryAfter(headers(inTwoSeconds)).orElseThrow().toMillis();
        assertTrue(millis > 1000 && millis <= 3000, millis + " ms");
        assertTrue(ChatClient.retryAfter(headers("soon")).isEmpty());
    }

    private static java.net.http.HttpHeaders headers(String retryAfter) {
        return java.net.http.HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }

    @Test
    void aRequestThatTimesOutIsRetriedAndASilentServerFailsWithTheReason() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> n == 0 ? obliging(n, r).after(3000) : obliging(n, r))) {
            OpenAiCaptioner c = captioner(server, Map.of("timeout.seconds", 1));
            assertEquals(2, c.generate(request(2, 1, "lamp")).size());
            assertEquals(2, server.received().size());
        }
        try (FakeChatServer server = new FakeChatServer((n, r) -> obliging(n, r).after(3000))) {
            OpenAiCaptioner c = captioner(server, Map.of("timeout.seconds", 1, "retries", 1));
            // another seed: the first part's answer is in the cache
            GenerationException e = assertThrows(GenerationException.class, () -> c.generate(request(2, 2, "lamp")));
            assertTrue(e.getMessage().contains("failed 2 attempt(s)") && e.getMessage().contains("timeout.seconds"),
                    e.getMessage());
        }
    }

    @Test
    void aServerThatIsNotThereFailsAfterTheRetries() throws Exception {
        String url;
        try (FakeChatServer server = new FakeChatServer(OpenAiCaptionerTest::obliging)) {
            url = server.baseUrl();
        }
        OpenAiCaptioner c = new OpenAiCaptioner("1", home, Configs.of(OpenAiConfig.class,
                Map.of("base.url", url, "retries", 2, "retry.backoff.millis", 10L)));
        GenerationException e = assertThrows(GenerationException.class, () -> c.generate(request(2, 1, "lamp")));
        assertTrue(e.getMessage().contains("failed 3 attempt(s)") && e.getMessage().contains("connection failed"),
                e.getMessage());
    }

    @Test
    void malformedJsonIsAClearErrorAndIsNotRetriedNorCached() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> Reply.status(200, "{\"choices\": [ {\"message\": "))) {
            OpenAiCaptioner c = captioner(server, Map.of());
            GenerationException e = assertThrows(GenerationException.class, () -> c.generate(request(2, 1, "lamp")));
            assertTrue(e.getMessage().contains("did not answer with a chat completion")
                    && e.getMessage().contains("{\"choices\": [ {\"message\":"), e.getMessage());
            assertEquals(1, server.received().size());
            assertThrows(GenerationException.class, () -> c.generate(request(2, 1, "lamp")));
            assertEquals(2, server.received().size());
        }
        try (FakeChatServer server = new FakeChatServer((n, r) -> Reply.status(200, "{\"choices\": []}"))) {
            GenerationException e = assertThrows(GenerationException.class,
                    () -> captioner(server, Map.of()).generate(request(2, 1, "lamp")));
            assertTrue(e.getMessage().contains("no choices"), e.getMessage());
        }
    }

    @Test
    void aRefusedRequestIsNotRetriedAndTheKeyIsNotInTheMessage() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> Reply.status(401, "{\"error\":\"bad key\"}"))) {
            OpenAiCaptioner c = captioner(server, Map.of("api.key", "sk-very-secret"));
            GenerationException e = assertThrows(GenerationException.class, () -> c.generate(request(2, 1, "lamp")));
            assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("check api.key"), e.getMessage());
            assertFalse(e.getMessage().contains("sk-very-secret"));
            assertEquals(1, server.received().size());
        }
    }

    @Test
    void aRepeatedRequestIsAnsweredFromTheCacheIdenticallyWithoutTheServer() throws Exception {
        AtomicInteger answers = new AtomicInteger();
        // a server that never answers the same way twice, so only the cache can make repeats equal
        try (FakeChatServer server = new FakeChatServer((n, r) -> Reply.ok(FakeChatServer.numbered(
                "answer " + answers.incrementAndGet(), FakeChatServer.asked(r))))) {
            OpenAiCaptioner c = captioner(server, Map.of());
            List<GeneratedCaption> first = c.generate(request(4, 9, "bench", "tree"));
            assertEquals(2, server.received().size());
            List<GeneratedCaption> again = captioner(server, Map.of()).generate(request(4, 9, "bench", "tree"));
            assertEquals(first, again);
            assertEquals(2, server.received().size(), "no request for a cached answer");
            try (Stream<Path> files = Files.walk(home.resolve("data/cache/openai"))) {
                assertEquals(2, files.filter(p -> p.toString().endsWith(".json")).count());
            }
            // another seed is another request
            assertNotEquals(texts(first), texts(c.generate(request(4, 10, "bench", "tree"))));
            assertEquals(4, server.received().size());
            // without a cache every call asks
            OpenAiCaptioner uncached = captioner(server, Map.of("cache.directory", ""));
            uncached.generate(request(4, 9, "bench"));
            uncached.generate(request(4, 9, "bench"));
            assertEquals(6, server.received().size());
        }
    }

    @Test
    void aShortAnswerIsToppedUpWithFurtherRequests() throws Exception {
        // the model gives 3 captions whatever it is asked for
        try (FakeChatServer server = new FakeChatServer((n, r) -> Reply.ok(FakeChatServer.numbered("item " + n, 3)))) {
            List<GeneratedCaption> captions = captioner(server, Map.of()).generate(request(7, 5, "vase"));
            assertEquals(7, captions.size());
            List<Integer> asked = server.received().stream().map(FakeChatServer::asked).toList();
            assertEquals(List.of(7, 4, 1), asked);
            assertEquals(List.of("item 0 1", "item 0 2", "item 0 3", "item 1 1", "item 1 2", "item 1 3", "item 2 1"),
                    texts(captions));
        }
    }

    @Test
    void aModelThatStaysShortFailsNamingTheConceptAndTheCounts() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> Reply.ok("I cannot help with that:"))) {
            GenerationException e = assertThrows(GenerationException.class,
                    () -> captioner(server, Map.of("topup.rounds", 2)).generate(request(4, 5, "vase")));
            assertTrue(e.getMessage().contains("gave 0 of 4 captions for 'vase' in 3 requests"), e.getMessage());
        }
    }

    @Test
    void aTruncatedAnswerLosesItsLastItem() throws Exception {
        try (FakeChatServer server = new FakeChatServer((n, r) -> n == 0
                ? Reply.ok("1. a dog on a mat\n2. a dog in the park\n3. a dog and a ca", "length") : obliging(n, r))) {
            List<String> texts = texts(captioner(server, Map.of()).generate(request(3, 5, "dog")));
            assertEquals(List.of("a dog on a mat", "a dog in the park"), texts.subList(0, 2));
            assertEquals(2, server.received().size());
        }
    }

    @Test
    void configurationErrorsNameThePidThePropertyAndTheValue() throws IOException {
        String m = assertThrows(IllegalArgumentException.class, () -> new OpenAiCaptioner("1", home,
                Configs.of(OpenAiConfig.class, Map.of("base.url", "localhost:8080")))).getMessage();
        assertTrue(m.contains(OpenAiCaptioner.PID) && m.contains("base.url") && m.contains("localhost:8080"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new OpenAiCaptioner("1", home,
                Configs.of(OpenAiConfig.class, Map.of("batch.size", 0)))).getMessage();
        assertTrue(m.contains(OpenAiCaptioner.PID) && m.contains("batch.size") && m.contains("0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new OpenAiCaptioner("1", home,
                Configs.of(OpenAiConfig.class, Map.of("prompt", "write captions")))).getMessage();
        assertTrue(m.contains("prompt") && m.contains("{concept}"), m);
    }
}
