package io.github.kcawspack.awsidentity.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.verification.RequestPreflight.Preflighted;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final Map<String, Long> stored = new HashMap<>();
    private final ReplayGuard guard = new ReplayGuard((key, lifespan) -> stored.putIfAbsent(key, lifespan) == null,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSignedRequestIsAcceptedOnce() {
        guard.acceptOnce(request("a", NOW.plusSeconds(600)));

        assertThatThrownBy(() -> guard.acceptOnce(request("a", NOW.plusSeconds(600))))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_GRANT);
                    assertThat(r.reason()).isEqualTo("replayed");
                    assertThat(r.description()).doesNotContain("a".repeat(64));
                });
        guard.acceptOnce(request("b", NOW.plusSeconds(600)));
    }

    @Test
    void isRememberedUntilItWouldExpireAnywayPlusAMargin() {
        guard.acceptOnce(request("c", NOW.plusSeconds(600)));

        assertThat(stored).containsEntry(ReplayGuard.KEY_PREFIX + "c".repeat(64),
                600 + ReplayGuard.NODE_CLOCK_MARGIN.toSeconds());
    }

    private static Preflighted request(String signatureChar, Instant expiresAt) {
        String signature = signatureChar.repeat(64);
        SigV4Authorization authorization = new SigV4Authorization("AKIAEXAMPLEEXAMPLE1", "20261123", "us-east-1", "sts",
                List.of("host", "x-amz-date"), signature);
        return new Preflighted(StsEndpoint.forRegion("us-east-1"), "", List.of(), authorization,
                expiresAt.minusSeconds(900), expiresAt, Optional.empty());
    }
}
