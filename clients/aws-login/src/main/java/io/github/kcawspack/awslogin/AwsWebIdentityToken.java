package io.github.kcawspack.awslogin;

import java.time.Instant;
import java.util.Objects;

/**
 * A JWT that AWS STS issued for the caller ({@code GetWebIdentityToken}) and when it expires.
 * Whoever holds the token is the AWS principal to its audience until then: {@link #toString()}
 * leaves it out.
 *
 * @param jwt the compact serialization, as STS returned it
 * @param expiration STS's {@code Expiration}
 */
public record AwsWebIdentityToken(String jwt, Instant expiration) {

    public AwsWebIdentityToken {
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(expiration, "expiration");
    }

    @Override
    public String toString() {
        return "AwsWebIdentityToken[jwt=" + SecretRedaction.REDACTED + ", expiration=" + expiration + "]";
    }
}
