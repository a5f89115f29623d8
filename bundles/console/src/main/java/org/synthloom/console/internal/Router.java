package org.synthloom.console.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps method and path to handlers, and decides who may call them. Every {@code /api/} route needs
 * the access token; calls that change state accept it only in the {@value #TOKEN_HEADER} header
 * (a cross-site form or image cannot set a header, so they cannot be forged from another page),
 * reads also as the {@code token} query parameter (which {@code EventSource} and {@code <img>}
 * need). When the console listens on the loopback interface, requests must name a loopback host
 * (a DNS-rebinding page names its own).
 */
final class Router {

    /** The header that carries the access token. */
    static final String TOKEN_HEADER = "X-Synthloom-Token";

    /** Who may call a route. */
    enum Access {
        /** Static pages and the OpenAPI file: no data. */
        PUBLIC,
        /** Reads: the token in the header or the query. */
        READ,
        /** Changes: the token in the header only. */
        WRITE
    }

    /** Handles a matched request. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /** A route: method, path pattern with {@code {name}} segments, access, largest body. */
    record Route(String method, String pattern, Access access, long maxBody, Handler handler) {
        String[] segments() {
            return pattern.substring(1).split("/", -1);
        }
    }

    /** A route matched to a path, with the path parameters. */
    record Match(Route route, Map<String, String> params) {}

    /** Largest JSON body a write accepts unless the route says otherwise. */
    static final long JSON_LIMIT = 1 << 20;

    private final List<Route> routes = new ArrayList<>();
    private final AccessToken token;
    private final boolean loopbackOnly;

    Router(AccessToken token, boolean loopbackOnly) {
        this.token = token;
        this.loopbackOnly = loopbackOnly;
    }

    Router get(String pattern, Handler handler) {
        return add("GET", pattern, Access.READ, 0, handler);
    }

    Router post(String pattern, Handler handler) {
        return add("POST", pattern, Access.WRITE, JSON_LIMIT, handler);
    }

    Router add(String method, String pattern, Access access, long maxBody, Handler handler) {
        routes.add(new Route(method, pattern, access, maxBody, handler));
        return this;
    }

    /**
     * Finds the route for a request line.
     *
     * @throws ApiException 404 if no route has the path, 405 if none has it with that method
     */
    Match match(String method, String path) {
        String[] parts = path.length() > 1 && path.startsWith("/") ? path.substring(1).split("/", -1) : new String[] {""};
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = matches(route.segments(), parts);
            if (params != null) {
                if (route.method().equals(method) || "HEAD".equals(method) && route.method().equals("GET")) {
                    return new Match(route, params);
                }
                allowed.add(route.method());
            }
        }
        if (!allowed.isEmpty()) {
            throw new ApiException(405, method + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
        }
        throw ApiException.notFound("no such resource: " + path);
    }

    private static Map<String, String> matches(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), parts[i]);
            } else if (!p.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    /**
     * Checks the host and the token for a matched route.
     *
     * @throws ApiException 403 for a foreign host, 401 without a valid token
     */
    void authorize(Route route, ApiRequest request) {
        if (loopbackOnly && !loopbackHost(request.header("host"))) {
            throw new ApiException(403, "the console answers requests for 127.0.0.1, localhost or [::1] only, not for host '"
                    + request.header("host") + "'");
        }
        if (route.access() == Access.PUBLIC) {
            return;
        }
        String header = request.header(TOKEN_HEADER);
        if (header == null) {
            String auth = request.header("authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                header = auth.substring(7);
            }
        }
        if (header != null) {
            if (!token.matches(header)) {
                throw new ApiException(401, "the access token is wrong");
            }
            return;
        }
        if (route.access() == Access.WRITE) {
            throw new ApiException(401, "this call changes state and needs the access token in the " + TOKEN_HEADER
                    + " header (the console prints its URL with the token at start)");
        }
        String query = request.query().get("token");
        if (query == null) {
            throw new ApiException(401, "the access token is missing: send it in the " + TOKEN_HEADER
                    + " header or, for reads, as ?token=");
        }
        if (!token.matches(query)) {
            throw new ApiException(401, "the access token is wrong");
        }
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon >= 0 ? h.substring(0, colon) : h;
        return name.equals("localhost") || name.equals("127.0.0.1");
    }

    /** @return every route, for the index */
    List<Route> routes() {
        return List.copyOf(routes);
    }
}
