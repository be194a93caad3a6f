package io.github.kcawspack.it.fakests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Mints the JWT the fake's {@code GetWebIdentityToken} returns: an account's outbound identity
 * federation issuer. The fake has checked the request as STS does; the issuer only signs.
 */
@FunctionalInterface
public interface WebIdentityTokenIssuer {

    /**
     * @param principalArn      the token's {@code sub}: the role ARN for a role session (never the
     *                          session's ARN), the user ARN for an IAM user (GetWebIdentityToken reference)
     * @param account           the caller's 12-digit account
     * @param audiences         {@code Audience.member.N} in order, 1 to 10
     * @param signingAlgorithm  {@code RS256} or {@code ES384}
     * @param issuedAt          {@code iat}; {@code exp} is {@code issuedAt + lifetime}
     * @param lifetime          {@code DurationSeconds} (300 s when the request had none)
     * @return the compact serialization
     */
    String issue(String principalArn, String account, List<String> audiences, String signingAlgorithm,
            Instant issuedAt, Duration lifetime);
}
