package io.github.kcawspack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain HTTP against a realm's endpoints, the way a curl user or an OAuth2 library would. */
public final class OAuthClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final KeycloakServer server;
    private final String realm;

    public OAuthClient(KeycloakServer server, String realm) {
        this.server = server;
        this.realm = realm;
    }

    /** A JSON answer from the server, with its status and headers. */
    public record Answer(int status, JsonNode json, HttpResponse<String> raw) {
        public String text(String field) {
            JsonNode node = json.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    /** POSTs a form to the token endpoint; {@code basic} is "id:secret" for HTTP Basic, or null. */
    public Answer token(Map<String, String> form, String basic) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.tokenEndpoint(realm)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)));
        if (basic != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build());
    }

    public Answer token(Map<String, String> form) {
        return token(form, null);
    }

    public Answer get(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    /** An access token for Keycloak's admin REST API, from the bootstrap admin in the master realm. */
    public static String adminToken(KeycloakServer server) {
        Answer answer = new OAuthClient(server, "master").token(form(
                "grant_type", "password", "client_id", "admin-cli",
                "username", KeycloakServer.ADMIN_USERNAME, "password", KeycloakServer.ADMIN_PASSWORD));
        if (answer.status() != 200) {
            throw new IllegalStateException("Admin login failed: " + answer);
        }
        return answer.text("access_token");
    }

    /** An ordered form from name, value pairs. */
    public static Map<String, String> form(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode json = body.isBlank() ? JSON.createObjectNode() : parseOrWrap(body);
            return new Answer(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new IllegalStateException("Request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parseOrWrap(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode().put("non_json_body", body);
        }
    }
}
