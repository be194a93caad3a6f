package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

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
 * <p>A stall period the waiting thread wakes from more than {@link #LATE_WAKE} late is one in
 * which this node itself was held up for a while (a stop-the-world GC pause, a starved CPU), and
 * the calls under way may have been held up with it: once per login such a period is not taken
 * as proof that STS hangs, and the login waits one period more. Only once: a login waiting for a
 * slot holds a worker thread too (waiting logins are not counted), so while STS hangs each holds
 * it at most two periods and the lateness of their wake-ups, not until {@link #LONGEST_WAIT}.
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

    /**
     * A wake-up this much later than asked means this node was held up. On a saturated 2-core
     * node the benchmark saw STS calls hold their slot 12 to 70 ms beyond STS's answer, waiting
     * for a core; GC pauses of 100 ms and more were seen in the benchmark's JVM.
     */
    static final Duration LATE_WAKE = Duration.ofMillis(50);

    /** Past this a node is overloaded rather than waiting on STS; the client should back off. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(1);

    private final Semaphore slots;
    private final AtomicLong finishedCalls = new AtomicLong();
    private final LongSupplier nanoTime;

    /**
     * @param maxConcurrentCalls STS calls under way at once on this node, at least 1
     * @throws IllegalArgumentException below 1
     */
    public StsConcurrencyLimit(int maxConcurrentCalls) {
        this(maxConcurrentCalls, System::nanoTime);
    }

    /**
     * @param maxConcurrentCalls STS calls under way at once on this node, at least 1
     * @param nanoTime           the clock, in nanoseconds, periods are measured with: {@link System#nanoTime}
     *                           but in tests, whose clock can make wake-ups look late
     */
    StsConcurrencyLimit(int maxConcurrentCalls, LongSupplier nanoTime) {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("max-concurrent-calls must be at least 1");
        }
        this.slots = new Semaphore(maxConcurrentCalls, true);
        this.nanoTime = nanoTime;
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
        long giveUpAt = nanoTime.getAsLong() + LONGEST_WAIT.toNanos();
        long finishedBefore = finishedCalls.get();
        boolean lateWakeExcused = false;
        try {
            while (true) {
                long periodStart = nanoTime.getAsLong();
                long periodNanos = Math.min(STALL.toNanos(), giveUpAt - periodStart);
                if (periodNanos <= 0) {
                    throw refused();
                }
                if (slots.tryAcquire(periodNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
                long finished = finishedCalls.get();
                if (finished != finishedBefore) {
                    finishedBefore = finished;
                    continue;
                }
                boolean wokeLate = nanoTime.getAsLong() - periodStart > periodNanos + LATE_WAKE.toNanos();
                if (!wokeLate || lateWakeExcused) {
                    throw refused();
                }
                // Held up ourselves, the calls under way may have been too: one more period, once.
                lateWakeExcused = true;
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
