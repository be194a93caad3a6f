package io.github.kcawspack.awslogin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A token endpoint on a free local port that records each request and answers with a canned response. */
final class FakeTokenEndpoint implements AutoCloseable {

    static final String PATH = "/realms/demo/protocol/openid-connect/token";

    record RecordedRequest(String method, String path, String contentType, String authorization,
            Map<String, String> form) {
    }

    private final HttpServer server;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private volatile int status = 200;
    private volatile String contentType = "application/json";
    private volatile String body = "{}";

    FakeTokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (requests) {
                requests.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"), decode(form)));
            }
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().set("Location", "/elsewhere");
            }
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    FakeTokenEndpoint answer(int status, String contentType, String body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        return this;
    }

    FakeTokenEndpoint answerJson(int status, String json) {
        return answer(status, "application/json", json);
    }

    /** What to pass as --keycloak. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    URI tokenEndpoint() {
        return URI.create(baseUrl() + PATH);
    }

    List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    RecordedRequest onlyRequest() {
        List<RecordedRequest> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected one request, got " + all.size());
        }
        return all.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Decodes a form, failing on repeated names so that a test notices a parameter sent twice. */
    static Map<String, String> decode(String form) {
        Map<String, String> decoded = new LinkedHashMap<>();
        if (form.isEmpty()) {
            return decoded;
        }
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (decoded.put(name, value) != null) {
                throw new IllegalStateException("form parameter " + name + " sent twice");
            }
        }
        return decoded;
    }
}
