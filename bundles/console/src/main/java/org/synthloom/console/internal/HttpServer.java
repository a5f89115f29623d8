package org.synthloom.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonObject;

/**
 * The embedded Jetty 12 server: one core {@link Handler} (no servlet layer) that serves the pages
 * from the bundle, streams events, and hands every {@code /api/} call to the {@link Router}.
 */
final class HttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "json", "application/json; charset=utf-8",
            "png", "image/png", "svg", "image/svg+xml", "txt", "text/plain; charset=utf-8", "LICENSE", "text/plain; charset=utf-8");
    /** Scripts only from the console itself; uPlot sets inline styles on its elements. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final String EVENTS_PATH = "/api/v1/events";

    private final Server server;
    private final ServerConnector connector;
    private final Router router;
    private final EventHub hub;
    private final ClassLoader resources;
    private final Function<ApiRequest, Predicate<JsonObject>> streamFilter;

    HttpServer(String host, int port, Router router, EventHub hub, ClassLoader resources,
            Function<ApiRequest, Predicate<JsonObject>> streamFilter) {
        this.router = router;
        this.hub = hub;
        this.resources = resources;
        this.streamFilter = streamFilter;
        QueuedThreadPool threads = new QueuedThreadPool(48, 2);
        threads.setName("synthloom-console");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        // Requests Jetty itself refuses (ambiguous or climbing paths, bad headers) get JSON too.
        server.setErrorHandler((Request.Handler) (request, response, callback) -> {
            Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
            int status = response.getStatus() >= 400 ? response.getStatus() : 400;
            send(response, callback, ApiResponse.error(new ApiException(status,
                    message == null ? HttpStatus.getMessage(status) : message.toString())));
            return true;
        });
        server.setStopTimeout(2000);
    }

    /** Starts listening; Jetty looks up its service providers through the context loader. */
    void start() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(HttpServer.class.getClassLoader());
        try {
            server.start();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** @return the port actually bound (the configured one, or the free one picked for port 0) */
    int port() {
        return connector.getLocalPort();
    }

    void stop() {
        hub.close();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the console's server did not stop cleanly", e);
        }
    }

    private void serve(Request request, Response response, Callback callback) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path;
        try {
            path = request.getHttpURI().getDecodedPath();
        } catch (RuntimeException e) {
            send(response, callback, ApiResponse.error(ApiException.badRequest("the path does not decode: " + e.getMessage())));
            return;
        }
        Map<String, String> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.putIfAbsent(field.getLowerCaseName(), field.getValue());
        }
        Map<String, String> query = new HashMap<>();
        try {
            Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            for (Fields.Field f : fields) {
                query.put(f.getName(), f.getValue());
            }
        } catch (RuntimeException e) {
            send(response, callback, ApiResponse.error(ApiException.badRequest("the query string does not decode: " + e.getMessage())));
            return;
        }
        ApiRequest bare = new ApiRequest(method, path, query, headers, new byte[0], Map.of());
        try {
            if (!path.startsWith("/api/")) {
                if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    throw new ApiException(405, method + " is not allowed on " + path);
                }
                router.authorize(new Router.Route("GET", path, Router.Access.PUBLIC, 0, r -> null), bare);
                send(response, callback, staticFile(path));
                return;
            }
            if (path.equals(EVENTS_PATH) && "GET".equals(method)) {
                router.authorize(new Router.Route("GET", path, Router.Access.READ, 0, r -> null), bare);
                stream(response, callback, streamFilter.apply(bare));
                return;
            }
            Router.Match match = router.match(method, path);
            router.authorize(match.route(), bare);
            byte[] body = readBody(request, headers, match.route().maxBody());
            ApiRequest full = new ApiRequest(method, path, query, headers, body, match.params());
            send(response, callback, match.route().handler().handle(full));
        } catch (ApiException e) {
            if (e.status() == 413) {
                // the body was refused unread: the connection cannot carry another request, so say
                // so rather than let a client reuse it and meet a closed socket
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            send(response, callback, ApiResponse.error(e));
        } catch (Exception | LinkageError e) {
            LOG.error("console: {} {} failed", method, path, e);
            send(response, callback, ApiResponse.error(new ApiException(500, "internal error: " + e)));
        }
    }

    /** Reads the body up to the route's limit; more is refused with 413 before it is all read. */
    private static byte[] readBody(Request request, Map<String, String> headers, long limit) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    throw new ApiException(413, "the body has " + length.trim() + " bytes, more than the limit of " + limit
                            + " for this call");
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Content-Length is not a number: " + length);
            }
        }
        if (limit == 0) {
            return new byte[0];
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw new ApiException(413, "the body is larger than the limit of " + limit + " bytes for this call");
            }
            return body;
        }
    }

    private ApiResponse staticFile(String path) throws IOException {
        String name = path.equals("/") || path.equals("/index.html") ? "index.html"
                : path.startsWith("/static/") ? path.substring("/static/".length()) : null;
        // Names are checked, not resolved: only files of the bundle's web folder and WebJars, no '..',
        // never the file system.
        if (name == null || !name.matches("(webjars(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+|[A-Za-z0-9_-][A-Za-z0-9._-]*)")
                || name.contains("..")) {
            throw ApiException.notFound("no such page: " + path);
        }
        String resource = name.startsWith("webjars/") ? "META-INF/resources/" + name : "web/" + name;
        try (InputStream in = resources.getResourceAsStream(resource)) {
            if (in == null) {
                throw ApiException.notFound("no such page: " + path);
            }
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return ApiResponse.bytes(TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes());
        }
    }

    private static void send(Response response, Callback callback, ApiResponse reply) {
        response.setStatus(reply.status());
        var h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, reply.contentType());
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", CSP);
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        reply.headers().forEach(h::put);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    /** A server-sent-event stream, written from this request's thread until the client leaves. */
    private void stream(Response response, Callback callback, Predicate<JsonObject> filter) {
        response.setStatus(200);
        var h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        EventHub.Subscriber subscriber = hub.subscribe(filter);
        try {
            write(response, "retry: 2000\n: connected\n\n");
            while (true) {
                String frame = subscriber.queue().poll(15, TimeUnit.SECONDS);
                if (frame == null) {
                    frame = ": keep-alive\n\n"; // also how a vanished client is noticed
                } else if (frame.equals(EventHub.END)) {
                    break;
                }
                StringBuilder batch = new StringBuilder(frame);
                for (String more = subscriber.queue().poll(); more != null; more = subscriber.queue().poll()) {
                    if (more.equals(EventHub.END)) {
                        write(response, batch.toString());
                        throw new InterruptedException("ended");
                    }
                    batch.append(more);
                }
                write(response, batch.toString());
            }
            callback.succeeded();
        } catch (InterruptedException ended) {
            callback.succeeded();
        } catch (Exception clientGone) {
            callback.failed(clientGone);
        } finally {
            hub.unsubscribe(subscriber);
        }
    }

    private static void write(Response response, String text) throws Exception {
        FutureCallback done = new FutureCallback();
        response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
        done.get(30, TimeUnit.SECONDS);
    }
}
