package io.github.kcawspack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The authentication device of CIBA (OpenID Connect Client-Initiated Backchannel Authentication)
 * as Keycloak's HTTP authentication channel sees it: an HTTP endpoint on loopback that Keycloak
 * POSTs each backchannel authentication request to (the server-level option
 * {@link #URI_VARIABLE}, set by the harness at start), answering 201 as a device that will ask
 * its user. A test takes the request Keycloak sent ({@link #nextRequest}) and plays the user
 * deciding on the device with {@link #approve} (Keycloak's callback endpoint, authenticated with
 * the channel's bearer token).
 */
public final class CibaChannel implements AutoCloseable {

    /** Keycloak's server-level option for the channel URI (SPI ciba-auth-channel, provider ciba-http-auth-channel). */
    public static final String URI_VARIABLE = "KC_SPI_CIBA_AUTH_CHANNEL__CIBA_HTTP_AUTH_CHANNEL__HTTP_AUTHENTICATION_CHANNEL_URI";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Keycloak sent to the device: its bearer token (the channel id) and the JSON body. */
    public record ChannelRequest(String bearerToken, JsonNode body) {
        public String loginHint() {
            return body.path("login_hint").asText(null);
        }

        public String scope() {
            return body.path("scope").asText(null);
        }
    }

    private final HttpServer http;
    private final BlockingQueue<ChannelRequest> received = new LinkedBlockingQueue<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CibaChannel(HttpServer http) {
        this.http = http;
    }

    public static CibaChannel start() {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the CIBA channel", e);
        }
        CibaChannel channel = new CibaChannel(http);
        http.createContext("/ciba-channel", exchange -> {
            try (exchange) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                String token = authorization != null && authorization.startsWith("Bearer ")
                        ? authorization.substring("Bearer ".length()) : null;
                channel.received.add(new ChannelRequest(token, body));
                exchange.sendResponseHeaders(201, -1);
            }
        });
        http.start();
        return channel;
    }

    /** What Keycloak's channel option must say. */
    public String uri() {
        return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + http.getAddress().getPort() + "/ciba-channel";
    }

    /** The next request Keycloak sent to the device, waiting up to 10 s; fails if none came. */
    public ChannelRequest nextRequest() {
        try {
            ChannelRequest request = received.poll(10, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("Keycloak sent no request to the CIBA authentication channel " + uri());
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Forgets requests left by an earlier test. */
    public void clear() {
        received.clear();
    }

    /**
     * The user approves on the device: POST {"status": "SUCCEED"} to the realm's CIBA callback
     * endpoint with the channel's bearer token; returns the HTTP status (200 when Keycloak took it).
     */
    public int approve(KeycloakServer server, String realm, ChannelRequest request) {
        return callback(server, realm, request, "SUCCEED");
    }

    private int callback(KeycloakServer server, String realm, ChannelRequest request, String status) {
        HttpRequest callback = HttpRequest.newBuilder(URI.create(
                        server.realmUrl(realm) + "/protocol/openid-connect/ext/ciba/auth/callback"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + request.bearerToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\": \"" + status + "\"}", StandardCharsets.UTF_8))
                .build();
        try {
            return client.send(callback, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
