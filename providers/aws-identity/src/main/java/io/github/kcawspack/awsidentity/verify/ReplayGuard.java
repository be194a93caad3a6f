package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.verify.RequestPreflight.Preflighted;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Step "replay check" and step "replay record": a signed request is accepted once. The signature
 * identifies it (it is an HMAC over the whole request), and it is remembered until the request
 * would be refused as too old anyway, so memory is bounded by the rate of confirmed logins times
 * the maximum age.
 *
 * <p>The single-use record is written only after STS confirmed the request ({@link Claim#recordUsed}):
 * a request forged without AWS credentials is refused by STS and leaves nothing behind, so it can
 * neither fill the cluster-wide store nor block the genuine request it imitates. Before STS is
 * called, a request already recorded is refused ({@code replayed}, no STS call), and a request
 * that is being verified on this node right now is refused too ({@code replay_in_flight}), so one
 * node never asks STS twice for one signed request. Two uses on different nodes may both reach
 * STS; the record is an atomic put-if-absent in Keycloak's single-use object store, shared by
 * every node of a cluster, so exactly one of them wins and the other is refused as a replay.
 */
public final class ReplayGuard {

    /** Keycloak's {@code SingleUseObjectProvider}, as this step needs it. */
    public interface SingleUseStore {
        boolean putIfAbsent(String key, long lifespanSeconds);

        boolean contains(String key);
    }

    static final String KEY_PREFIX = "aws_identity.signature.";
    /** Covers clocks of cluster nodes that differ slightly: a node must not forget too early. */
    static final Duration NODE_CLOCK_MARGIN = Duration.ofMinutes(1);

    private final SingleUseStore store;
    private final Set<String> inFlight;
    private final Clock clock;

    /**
     * @param inFlight this node's signatures under verification right now, shared by all requests of
     *                 the node; an entry lives only while its request waits for STS
     */
    public ReplayGuard(SingleUseStore store, Set<String> inFlight, Clock clock) {
        this.store = store;
        this.inFlight = inFlight;
        this.clock = clock;
    }

    /** A node-local set for {@link #ReplayGuard(SingleUseStore, Set, Clock)}. */
    public static Set<String> newInFlightSet() {
        return ConcurrentHashMap.newKeySet();
    }

    /**
     * Step "replay check", before STS: refuses a request recorded as used or under verification
     * on this node. Close the claim when the request is done, whatever happened.
     */
    public Claim claim(Preflighted request) {
        String key = KEY_PREFIX + request.authorization().signature();
        if (store.contains(key)) {
            throw replayed();
        }
        if (!inFlight.add(key)) {
            throw AwsIdentityRejection.invalidGrant("replay_in_flight",
                    "this signed request is already being used; sign a new one");
        }
        long lifespan = Math.max(1, Duration.between(clock.instant(), request.expiresAt()).plus(NODE_CLOCK_MARGIN).toSeconds());
        return new Claim(key, lifespan);
    }

    private static AwsIdentityRejection replayed() {
        return AwsIdentityRejection.invalidGrant("replayed", "this signed request was already used; sign a new one");
    }

    /** One request's hold on its signature while STS is asked. */
    public final class Claim implements AutoCloseable {

        private final String key;
        private final long lifespanSeconds;

        private Claim(String key, long lifespanSeconds) {
            this.key = key;
            this.lifespanSeconds = lifespanSeconds;
        }

        /**
         * Step "replay record", after STS confirmed the request: of all uses of this signed request
         * in the cluster, only the one whose record goes in first wins.
         */
        public void recordUsed() {
            if (!store.putIfAbsent(key, lifespanSeconds)) {
                throw replayed();
            }
        }

        @Override
        public void close() {
            inFlight.remove(key);
        }
    }
}
