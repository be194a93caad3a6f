package io.github.kcawspack.awsidentity.forwarding;

import io.github.kcawspack.awsidentity.verification.AwsIdentityRejection;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most so many STS calls at once on this Keycloak node. A call holds one of Keycloak's HTTP
 * worker threads for as long as STS takes, up to the deadline; without a limit, an STS that
 * accepts connections and then hangs takes every worker thread (Keycloak's pool has 50 on a small
 * machine), and every other request of the server, any grant, any realm, the admin console,
 * queues behind it until the deadlines pass. Past the limit a login is refused at once as an
 * outage ({@code 503 temporarily_unavailable}), which the client may retry.
 *
 * <p>One instance per node, shared by all realms; thread-safe.
 */
public final class StsConcurrencyLimit {

    /** Half of the smallest pool Keycloak sizes by default, so a hanging STS leaves the other half. */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 25;

    /**
     * A healthy STS frees a slot within tens of milliseconds, so a burst waits a little rather than
     * being refused; a hanging STS frees none before the deadline, and waiting longer would only
     * hold the worker thread the limit is there to spare.
     */
    static final Duration WAIT_FOR_A_SLOT = Duration.ofMillis(100);

    private final Semaphore slots;

    public StsConcurrencyLimit(int maxConcurrentCalls) {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("max-concurrent-calls must be at least 1");
        }
        this.slots = new Semaphore(maxConcurrentCalls, true);
    }

    /** {@code call}, made only while fewer than the maximum of calls through this limit are under way. */
    public StsCall around(StsCall call) {
        return request -> {
            takeSlot();
            try {
                return call.forward(request);
            } finally {
                slots.release();
            }
        };
    }

    private void takeSlot() {
        boolean taken;
        try {
            taken = slots.tryAcquire(WAIT_FOR_A_SLOT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            throw AwsIdentityRejection.unavailable("sts_concurrency_limit",
                    "Too many AWS STS calls are under way; try again later");
        }
    }
}
