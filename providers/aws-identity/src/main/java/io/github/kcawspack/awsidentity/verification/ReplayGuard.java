package io.github.kcawspack.awsidentity.verification;

import io.github.kcawspack.awsidentity.verification.RequestPreflight.Preflighted;
import java.time.Clock;
import java.time.Duration;

/**
 * Step "replay check": a signed request is accepted once. The signature identifies it (it is an
 * HMAC over the whole request), and it is remembered until the request would be refused as too
 * old anyway, so memory is bounded by the request rate times the maximum age.
 *
 * <p>The store is Keycloak's single-use object store, shared by every node of a cluster, so a
 * request accepted by one node is refused by all others.
 */
public final class ReplayGuard {

    /** Keycloak's {@code SingleUseObjectProvider#putIfAbsent}, as this step needs it. */
    @FunctionalInterface
    public interface SingleUseStore {
        boolean putIfAbsent(String key, long lifespanSeconds);
    }

    static final String KEY_PREFIX = "aws_identity.signature.";
    /** Covers clocks of cluster nodes that differ slightly: a node must not forget too early. */
    static final Duration NODE_CLOCK_MARGIN = Duration.ofMinutes(1);

    private final SingleUseStore store;
    private final Clock clock;

    public ReplayGuard(SingleUseStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void acceptOnce(Preflighted request) {
        long lifespan = Math.max(1, Duration.between(clock.instant(), request.expiresAt()).plus(NODE_CLOCK_MARGIN).toSeconds());
        if (!store.putIfAbsent(KEY_PREFIX + request.authorization().signature(), lifespan)) {
            throw AwsIdentityRejection.invalidGrant("replayed", "this signed request was already used; sign a new one");
        }
    }
}
