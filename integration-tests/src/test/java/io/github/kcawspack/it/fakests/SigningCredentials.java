package io.github.kcawspack.it.fakests;

import java.time.Instant;
import java.util.Optional;

/**
 * What the verifier knows about one access key id: its secret, the session token that comes with
 * temporary credentials (empty for permanent keys), and when temporary credentials expire.
 */
public record SigningCredentials(String secretKey, Optional<String> sessionToken, Optional<Instant> expiresAt) {

    public static SigningCredentials permanent(String secretKey) {
        return new SigningCredentials(secretKey, Optional.empty(), Optional.empty());
    }

    public static SigningCredentials temporary(String secretKey, String sessionToken) {
        return new SigningCredentials(secretKey, Optional.of(sessionToken), Optional.empty());
    }

    public SigningCredentials expiringAt(Instant instant) {
        return new SigningCredentials(secretKey, sessionToken, Optional.of(instant));
    }
}
