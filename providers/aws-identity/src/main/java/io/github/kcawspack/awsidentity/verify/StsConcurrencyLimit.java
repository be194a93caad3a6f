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
 * finished for {@link #STALL} of this node's own running time while all slots are taken, STS is
 * stuck, and the waiting login is refused as an outage ({@code 503 temporarily_unavailable}, which
 * the client may retry) instead of holding its worker thread too; and no login waits longer than
 * {@link #LONGEST_WAIT}.
 *
 * <p>"This node's own running time": the waiter looks in periods of {@link #PERIOD}. A period it
 * wakes from more than {@link #LATE_WAKE} late was one in which this node did not run (a
 * stop-the-world GC pause, a starved CPU), so the calls under way could not finish either; such a
 * period says nothing about STS and is not counted. Counting it refused waiting logins as "STS
 * hangs" after a GC pause of the node's own with a healthy STS (the benchmark's warm-up, 64
 * clients on a cold 2-core node: 1 and 8 such 503s in two runs).
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

    /** How long one look for progress waits; {@link #STALL} takes two of them without a finished call. */
    static final Duration PERIOD = STALL.dividedBy(2);

    /**
     * A wake-up this much later than asked means this node was not running. Normal scheduling on a
     * saturated node wakes a waiter a few milliseconds late; a GC pause, tens to over a hundred.
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

    /** @param nanoTime the clock periods are measured with; a test's can make this node look paused */
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
        long stalledFor = 0;
        try {
            while (true) {
                long start = nanoTime.getAsLong();
                long wait = Math.min(PERIOD.toNanos(), giveUpAt - start);
                if (wait <= 0) {
                    throw refused();
                }
                if (slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    return;
                }
                long finished = finishedCalls.get();
                if (finished != finishedBefore) {
                    finishedBefore = finished;
                    stalledFor = 0;
                } else if (nanoTime.getAsLong() - start <= wait + LATE_WAKE.toNanos()) {
                    stalledFor += wait;
                    if (stalledFor >= STALL.toNanos()) {
                        throw refused();
                    }
                }
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
