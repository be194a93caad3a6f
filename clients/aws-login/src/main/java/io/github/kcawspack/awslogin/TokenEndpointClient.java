package io.github.kcawspack.awslogin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Posts a token request form (RFC 6749 §3.2) to one token endpoint and reads the JSON answer:
 * what {@link AwsIdentityLogin} and {@link JwtBearerLogin} share. Messages name the endpoint and
 * the HTTP status, never the form (it carries the proof) or an answer that is not JSON.
 */
final class TokenEndpointClient {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    // A token response is a few kilobytes; anything far larger is not one.
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient httpClient;
    private final URI tokenEndpoint;

    TokenEndpointClient(HttpClient httpClient, URI tokenEndpoint) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    }

    URI tokenEndpoint() {
        return tokenEndpoint;
    }

    /**
     * Posts {@code form}, with HTTP Basic for a confidential client. Any JSON object is returned,
     * errors included; an answer that is not one, a redirect, or no answer is an {@link AwsLoginException}.
     */
    TokenEndpointResponse post(Map<String, String> form, ClientAuthentication client)
            throws AwsLoginException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form)));
        basicAuthorization(client).ifPresent(value -> request.header("Authorization", value));

        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = httpClient.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
        } catch (IOException e) {
            throw new AwsLoginException("cannot reach the token endpoint " + tokenEndpoint + ": " + describe(e), e);
        }
        if (response.statusCode() >= 300 && response.statusCode() < 400) {
            throw new AwsLoginException("the token endpoint redirected (HTTP " + response.statusCode()
                    + "); redirects are not followed, pass the URL Keycloak answers on as --keycloak");
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new AwsLoginException("the token endpoint answered HTTP " + response.statusCode()
                    + " with more than " + MAX_RESPONSE_BYTES + " bytes");
        }
        return new TokenEndpointResponse(response.statusCode(), parseJsonObject(response.statusCode(), body));
    }

    /** The Authorization header for a confidential client: form-encoded id and secret (RFC 6749 §2.3.1). */
    static Optional<String> basicAuthorization(ClientAuthentication client) {
        return client.clientSecret().map(secret -> {
            String pair = formEncode(client.clientId()) + ":" + formEncode(secret);
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        });
    }

    static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(entry -> formEncode(entry.getKey()) + "=" + formEncode(entry.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static JsonNode parseJsonObject(int status, byte[] body) throws AwsLoginException {
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.isObject()) {
                return json;
            }
        } catch (JsonProcessingException e) {
            // reported below, without echoing a body we did not expect
        } catch (IOException e) {
            throw new AwsLoginException("cannot read the token endpoint's answer", e);
        }
        throw new AwsLoginException("the token endpoint answered HTTP " + status + " without a JSON object");
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // java.net.http often wraps the useful message ("Connection refused") in a cause without one.
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
