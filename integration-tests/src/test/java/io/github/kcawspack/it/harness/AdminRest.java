package io.github.kcawspack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Keycloak's admin REST API by hand, as the bootstrap admin, for the few calls Keycloak's admin
 * client ({@link KeycloakServer#admin()}) cannot make the way a test needs them; everything else
 * goes through the admin client. Two cases, and each caller says in a comment which:
 * <ul>
 *   <li>the test reads the admin API's own answer to a refused call, such as the 400 body naming the
 *       field of a component refused on save (the message the console shows); the admin client
 *       turns it into an exception without the body;</li>
 *   <li>a whole document must pass unchanged: a realm export re-imported, the user profile
 *       configuration changed and restored, the event list searched for secrets. The admin client
 *       26.0.12 (the newest on Maven Central) reads them into its own representations, which drop
 *       the fields newer servers added.</li>
 * </ul>
 * {@code path} is relative to the server, e.g. {@code /admin/realms/demo/components}; the bearer
 * token is the admin client's own, which it renews.
 */
public final class AdminRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    AdminRest(KeycloakServer server) {
        this.server = server;
    }

    /** The status, body and {@code Location} header (empty if none) of an admin API call. */
    public record Answer(int status, String body, String location) {
        /** The body as JSON; an empty body gives an empty object. */
        public JsonNode json() {
            try {
                return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /**
     * Sends {@code method path} with {@code json} (null for no body) and returns the answer,
     * whatever its status: for tests whose subject is a refusal.
     */
    public Answer call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.admin().tokenManager().getAccessTokenString())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #call}, failing the calling test on a status outside 2xx; returns the body as JSON. */
    public JsonNode send(String method, String path, String json) {
        Answer answer = call(method, path, json);
        if (answer.status() < 200 || answer.status() > 299) {
            throw new AssertionError(method + " " + path + ": " + answer);
        }
        return answer.json();
    }
}
