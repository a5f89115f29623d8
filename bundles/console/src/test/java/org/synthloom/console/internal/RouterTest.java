package org.synthloom.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RouterTest {

    private static final String TOKEN = "ab".repeat(32);

    private final Router router = new Router(AccessToken.of(TOKEN), true)
            .get("/api/v1/runs/{id}", r -> ApiResponse.ok(new com.google.gson.JsonPrimitive(r.param("id"))))
            .post("/api/v1/runs/{id}/pause", r -> null);

    private static ApiRequest request(String method, Map<String, String> headers, Map<String, String> query) {
        Map<String, String> h = new HashMap<>(headers);
        h.putIfAbsent("host", "127.0.0.1:8765");
        return new ApiRequest(method, "/", query, h, new byte[0], Map.of());
    }

    @Test
    void matchesPathParametersAndTellsWrongMethodsFromUnknownPaths() {
        Router.Match m = router.match("GET", "/api/v1/runs/r-1");
        assertEquals("r-1", m.params().get("id"));
        assertEquals(405, assertThrows(ApiException.class, () -> router.match("DELETE", "/api/v1/runs/r-1")).status());
        assertEquals(404, assertThrows(ApiException.class, () -> router.match("GET", "/api/v1/runs")).status());
        assertEquals(404, assertThrows(ApiException.class, () -> router.match("GET", "/api/v1/runs/r-1/x")).status());
        assertEquals("/api/v1/runs/{id}", router.match("HEAD", "/api/v1/runs/x").route().pattern(), "HEAD is served as GET");
    }

    @Test
    void readsTakeTheTokenInTheHeaderOrQueryAndWritesOnlyInTheHeader() {
        Router.Route read = router.match("GET", "/api/v1/runs/x").route();
        Router.Route write = router.match("POST", "/api/v1/runs/x/pause").route();
        router.authorize(read, request("GET", Map.of("x-synthloom-token", TOKEN), Map.of()));
        router.authorize(read, request("GET", Map.of(), Map.of("token", TOKEN)));
        router.authorize(write, request("POST", Map.of("authorization", "Bearer " + TOKEN), Map.of()));
        router.authorize(write, request("POST", Map.of("x-synthloom-token", TOKEN), Map.of()));
        ApiException noHeader = assertThrows(ApiException.class,
                () -> router.authorize(write, request("POST", Map.of(), Map.of("token", TOKEN))));
        assertEquals(401, noHeader.status());
        assertTrue(noHeader.getMessage().contains("X-Synthloom-Token header"));
        assertEquals(401, assertThrows(ApiException.class,
                () -> router.authorize(read, request("GET", Map.of(), Map.of()))).status());
        assertEquals(401, assertThrows(ApiException.class,
                () -> router.authorize(read, request("GET", Map.of("x-synthloom-token", TOKEN + "0"), Map.of()))).status());
        assertEquals(401, assertThrows(ApiException.class,
                () -> router.authorize(read, request("GET", Map.of(), Map.of("token", "")))).status());
    }

    @Test
    void aLoopbackConsoleAnswersLoopbackHostNamesOnly() {
        Router.Route read = router.match("GET", "/api/v1/runs/x").route();
        for (String host : new String[] {"127.0.0.1", "127.0.0.1:8765", "localhost:1", "LOCALHOST", "[::1]:8765"}) {
            assertTrue(Router.loopbackHost(host), host);
        }
        for (String host : new String[] {"evil.example", "127.0.0.1.evil.example", "localhost.evil:80", "[::2]", "", "10.0.0.1"}) {
            assertEquals(false, Router.loopbackHost(host), host);
        }
        ApiException foreign = assertThrows(ApiException.class,
                () -> router.authorize(read, request("GET", Map.of("host", "evil.example", "x-synthloom-token", TOKEN), Map.of())));
        assertEquals(403, foreign.status());
        new Router(AccessToken.of(TOKEN), false).authorize(read,
                request("GET", Map.of("host", "my-server:8765", "x-synthloom-token", TOKEN), Map.of()));
    }
}
