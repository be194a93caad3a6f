package io.github.kcawspack.awsidentity.verify;

import java.time.Duration;
import java.util.Set;

/**
 * A realm's choices for checking aws_identity requests before they reach STS.
 *
 * @param maxAge          how old a signed request (its X-Amz-Date) may be; STS itself allows 15 minutes
 * @param clockSkew       how far in the future X-Amz-Date may be, for clients whose clocks run ahead
 * @param requireAudience whether the request must be signed for this realm (X-Keycloak-Audience)
 * @param audiences       the accepted audience values: the realm's issuer URL and any configured extras
 */
public record VerificationSettings(Duration maxAge, Duration clockSkew, boolean requireAudience, Set<String> audiences) {

    public VerificationSettings {
        if (maxAge.isNegative() || maxAge.isZero() || clockSkew.isNegative()) {
            throw new IllegalArgumentException("maxAge must be positive and clockSkew not negative");
        }
        audiences = Set.copyOf(audiences);
    }
}
