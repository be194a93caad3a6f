package io.github.kcawspack.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
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

    /** Made by {@link KeycloakServer#oauth(String)}, one per realm; tests get it from there or from {@link KeycloakExtension}. */
    OAuthClient(KeycloakServer server, String realm) {
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
        return post(server.tokenEndpoint(realm), form, basic);
    }

    /** POSTs a form to one of the realm's endpoints, e.g. introspection; {@code basic} as for token. */
    public Answer post(String url, Map<String, String> form, String basic) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)));
        if (basic != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build());
    }

    /** POSTs a form to {@code url} with {@code Authorization: Bearer <bearer>}, as a UMA client sends its token. */
    public Answer postWithBearer(String url, Map<String, String> form, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form))).build());
    }

    /**
     * POSTs a form to {@code url} with the {@code Authorization} header exactly as given (e.g. a
     * Basic value that is not base64), for tests of what the server makes of malformed credentials.
     */
    public Answer postWithAuthorization(String url, Map<String, String> form, String authorization) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form))).build());
    }

    public Answer token(Map<String, String> form) {
        return token(form, null);
    }

    /**
     * Asks the realm's introspection endpoint (RFC 7662) about {@code token}, authenticated as the
     * client {@code basic} ("id:secret"). Keycloak 26.7 answers {@code "active": true} only to a
     * client named in the token's audience.
     */
    public Answer introspect(String token, String basic) {
        return post(server.tokenEndpoint(realm) + "/introspect", form("token", token), basic);
    }

    /**
     * Sends JSON to {@code url} with {@code Authorization: Bearer <bearer>} and {@code Accept:
     * application/json}, as a single-page app calls a realm's account REST API; {@code json} null
     * sends no body.
     */
    public Answer json(String method, String url, String bearer, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    public Answer get(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    /** An ordered form from name, value pairs. */
    public static Map<String, String> form(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    /** {@code a=1&b=2}, every name and value URL-encoded. */
    public static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * Decodes {@code a=1&b=2} (a query string or a URL fragment) into an ordered map; null gives
     * an empty map.
     */
    public static Map<String, String> decodeParameters(String encoded) {
        Map<String, String> result = new LinkedHashMap<>();
        if (encoded == null) {
            return result;
        }
        for (String pair : encoded.split("&")) {
            String[] nameAndValue = pair.split("=", 2);
            result.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
                    nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
        }
        return result;
    }

    private Answer send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String body = response.body();
        JsonNode json = body.isBlank() ? JSON.createObjectNode() : parseOrWrap(body);
        return new Answer(response.statusCode(), json, response);
    }

    private static JsonNode parseOrWrap(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode().put("non_json_body", body);
        }
    }
}
