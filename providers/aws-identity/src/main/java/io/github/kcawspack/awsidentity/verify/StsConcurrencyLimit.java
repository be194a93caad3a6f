package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most so many STS calls at once on this Keycloak node. A call holds one of Keycloak's HTTP
 * worker threads for as long as STS takes, up to the deadline; without a limit, an STS that
 * accepts connections and then hangs takes every worker thread (Keycloak's pool has 50 on a small
 * machine), and every other request of the server, any grant, any realm, the admin console,
 * queues behind it until the deadlines pass.
 *
 * <p>A login that finds every slot taken waits for one only while STS is making progress. On a
 * busy node with a healthy STS the slots turn over every few milliseconds, and refusing there
 * would shed load that only needs its turn: with a fixed 100 ms wait, 64 clients on a 2-core node
 * got thousands of 503s from an STS answering at once (found by the benchmark). When no call has
 * finished for {@link #STALL} while all slots are taken, STS is stuck, and the waiting login is
 * refused as an outage ({@code 503 temporarily_unavailable}, which the client may retry) instead
 * of holding its worker thread too; and no login waits longer than {@link #LONGEST_WAIT}.
 *
 * <p>One instance per node, shared by all realms; thread-safe.
 */
public final class StsConcurrencyLimit {

    /**
     * Under two thirds of the smallest worker pool Keycloak sizes by default (50 threads up to 12
     * cores), so a hanging STS leaves 18 of them to every other request. Against a 50 ms STS a
     * saturated 2-core node made 383 to 513 calls per second through it (a call holding its slot
     * 62 to 84 ms); more needs more worker threads as well (docs/benchmark.md, target 3).
     */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 32;

    /**
     * Taken slots with no call finishing for this long: STS hangs. Healthy STS calls finish many
     * times within it even on a saturated node, and it is longer than the JVM's usual GC pauses.
     */
    static final Duration STALL = Duration.ofMillis(200);

    /** Past this a node is overloaded rather than waiting on STS; the client should back off. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(1);

    private final Semaphore slots;
    private final AtomicLong finishedCalls = new AtomicLong();

    public StsConcurrencyLimit(int maxConcurrentCalls) {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("max-concurrent-calls must be at least 1");
        }
        this.slots = new Semaphore(maxConcurrentCalls, true);
    }

    /** {@code call}, made only while fewer than the maximum of calls through this limit are under way. */
    public StsExchange around(StsExchange call) {
        return request -> {
            takeSlot();
            try {
                return call.forward(request);
            } finally {
                finishedCalls.incrementAndGet();
                slots.release();
            }
        };
    }

    private void takeSlot() {
        long giveUpAt = System.nanoTime() + LONGEST_WAIT.toNanos();
        long finishedBefore = finishedCalls.get();
        try {
            while (true) {
                long wait = Math.min(STALL.toNanos(), giveUpAt - System.nanoTime());
                if (wait <= 0) {
                    throw refused();
                }
                if (slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    return;
                }
                long finished = finishedCalls.get();
                if (finished == finishedBefore) {
                    throw refused();
                }
                finishedBefore = finished;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused();
        }
    }

    private static AwsIdentityRejection refused() {
        return AwsIdentityRejection.unavailable("sts_concurrency_limit",
                "Too many AWS STS calls are under way; try again later");
    }
}
