package io.github.kcawspack.awslogin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The token endpoint's answer: a token response (RFC 6749 §5.1) when {@link #isSuccess()}, an
 * error response (§5.2) otherwise. {@link #toString()} leaves the tokens out.
 */
public record TokenEndpointResponse(int statusCode, JsonNode body) {

    public TokenEndpointResponse {
        Objects.requireNonNull(body, "body");
    }

    public boolean isSuccess() {
        return statusCode >= 200 && statusCode < 300 && !body.hasNonNull("error");
    }

    public Optional<String> accessToken() {
        return text("access_token");
    }

    public Optional<String> error() {
        return text("error");
    }

    public Optional<String> errorDescription() {
        return text("error_description");
    }

    /** {@code error: description} as OAuth2 error responses are usually shown. */
    public String errorSummary() {
        String error = error().orElse("HTTP " + statusCode);
        return errorDescription().map(description -> error + ": " + description).orElse(error);
    }

    private Optional<String> text(String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    @Override
    public String toString() {
        return "TokenEndpointResponse[statusCode=" + statusCode
                + (isSuccess() ? ", fields=" + fieldNames() : ", " + errorSummary()) + "]";
    }

    private String fieldNames() {
        StringBuilder names = new StringBuilder("[");
        body.fieldNames().forEachRemaining(name -> names.append(names.length() > 1 ? ", " : "").append(name));
        return names.append(']').toString();
    }
}
