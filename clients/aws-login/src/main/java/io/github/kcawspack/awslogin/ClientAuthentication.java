package io.github.kcawspack.awslogin;

import java.util.Objects;
import java.util.Optional;

/**
 * How the OAuth2 client identifies itself at the token endpoint: a public client sends only its
 * {@code client_id}; a confidential one adds its secret (sent with HTTP Basic, RFC 6749 §2.3.1).
 */
public record ClientAuthentication(String clientId, Optional<String> clientSecret) {

    public ClientAuthentication {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("client_id is required");
        }
    }

    public static ClientAuthentication publicClient(String clientId) {
        return new ClientAuthentication(clientId, Optional.empty());
    }

    public static ClientAuthentication confidentialClient(String clientId, String clientSecret) {
        return new ClientAuthentication(clientId, Optional.of(clientSecret));
    }

    @Override
    public String toString() {
        return "ClientAuthentication[clientId=" + clientId
                + (clientSecret.isPresent() ? ", clientSecret=" + SecretRedaction.REDACTED : "") + "]";
    }
}
