package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.verify.RequestPreflight.Preflighted;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final Map<String, Long> stored = new ConcurrentHashMap<>();
    private final ReplayGuard.SingleUseStore store = new ReplayGuard.SingleUseStore() {
        @Override
        public boolean putIfAbsent(String key, long lifespanSeconds) {
            return stored.putIfAbsent(key, lifespanSeconds) == null;
        }

        @Override
        public boolean contains(String key) {
            return stored.containsKey(key);
        }
    };
    private final Set<String> inFlight = ReplayGuard.newInFlightSet();
    private final ReplayGuard guard = new ReplayGuard(store, inFlight, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSignedRequestIsAcceptedOnce() {
        try (ReplayGuard.Claim claim = guard.claim(request("a", NOW.plusSeconds(600)))) {
            claim.recordUsed();
        }

        assertThatThrownBy(() -> guard.claim(request("a", NOW.plusSeconds(600))))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_GRANT);
                    assertThat(r.reason()).isEqualTo("replayed");
                    assertThat(r.description()).doesNotContain("a".repeat(64));
                });
        guard.claim(request("b", NOW.plusSeconds(600))).close();
    }

    @Test
    void nothingIsRecordedBeforeStsConfirmed() {
        try (ReplayGuard.Claim claim = guard.claim(request("d", NOW.plusSeconds(600)))) {
            assertThat(stored).as("claimed, not yet confirmed").isEmpty();
        }

        assertThat(stored).as("STS refused or failed: no record").isEmpty();
        assertThat(inFlight).as("and no hold").isEmpty();
        try (ReplayGuard.Claim again = guard.claim(request("d", NOW.plusSeconds(600)))) {
            again.recordUsed();
        }
        assertThat(stored).containsKey(ReplayGuard.KEY_PREFIX + "d".repeat(64));
    }

    @Test
    void aRequestUnderVerificationOnThisNodeIsNotSentToStsTwice() {
        try (ReplayGuard.Claim first = guard.claim(request("e", NOW.plusSeconds(600)))) {
            assertThatThrownBy(() -> guard.claim(request("e", NOW.plusSeconds(600))))
                    .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                        assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.INVALID_GRANT);
                        assertThat(r.reason()).isEqualTo("replay_in_flight");
                    });
            first.recordUsed();
        }
    }

    @Test
    void ofTwoConfirmedUsesOnTwoNodesOnlyTheFirstRecordWins() {
        // Two nodes: one shared store, an in-flight set each.
        ReplayGuard nodeA = guard;
        ReplayGuard nodeB = new ReplayGuard(store, ReplayGuard.newInFlightSet(), Clock.fixed(NOW, ZoneOffset.UTC));
        ReplayGuard.Claim onA = nodeA.claim(request("f", NOW.plusSeconds(600)));
        ReplayGuard.Claim onB = nodeB.claim(request("f", NOW.plusSeconds(600)));

        onA.recordUsed();
        assertThatThrownBy(onB::recordUsed)
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> assertThat(r.reason()).isEqualTo("replayed"));
        onA.close();
        onB.close();
    }

    @Test
    void isRememberedUntilItWouldExpireAnywayPlusAMargin() {
        try (ReplayGuard.Claim claim = guard.claim(request("c", NOW.plusSeconds(600)))) {
            claim.recordUsed();
        }

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
