package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

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
 * got thousands of 503s from an STS answering at once (found by the benchmark). When STS has
 * answered no call for {@link #STALL} while all slots are taken, STS is stuck, and the waiting
 * login is refused as an outage ({@code 503 temporarily_unavailable}, which the client may retry)
 * instead of holding its worker thread too; and no login waits longer than {@link #LONGEST_WAIT}.
 * Only a call that returned STS's answer (any status, within the configured size) counts: one that
 * ended at its deadline, could not reach STS, broke off or was too large is no answer, and while
 * STS hangs, calls timing out one after the other would otherwise keep every waiting login to the
 * longest wait.
 *
 * <p>Waiting logins get slots in the order they came, each keeping its place while it waits: a
 * login that waited through a period is not overtaken by one that came after it.
 *
 * <p>A stall period the waiting thread wakes from more than {@link #LATE_WAKE} late is one in
 * which this node itself was held up for a while (a stop-the-world GC pause, a starved CPU), and
 * the calls under way may have been held up with it: once per login such a period is not taken
 * as proof that STS hangs, and the login waits one period more. Only once: a login waiting for a
 * slot holds a worker thread too (waiting logins are not counted), so while STS hangs each holds
 * it at most two periods and the lateness of their wake-ups, not until {@link #LONGEST_WAIT}.
 *
 * <p>Once a waiting login has been refused because STS answered nothing for a whole stall period,
 * a login that finds every slot taken is refused at once, without waiting, until STS answers a call
 * again: while STS hangs, waiting logins (which are not counted) would otherwise hold as many worker
 * threads as arrive in a stall period (two after a late wake-up), each for the same refusal. A login
 * that finds a slot free still takes it, and its call shows whether STS answers again. A refusal at
 * the longest wait does not count (its last period may be cut short). The start of such a spell is
 * logged as a warning (at most once per {@link #WARNING_INTERVAL}), and its end, if its start was.
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
     * Taken slots with no call answered for this long: STS hangs. A healthy STS answers many
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

    /**
     * At most one warning that STS is stuck per this long: an STS answering only now and then (one
     * region hanging, another answering a few calls) may start and end a stuck spell many times a
     * second, and the log must not fill up with them.
     */
    static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(StsConcurrencyLimit.class);

    private final int maxConcurrentCalls;
    /**
     * Guards every field below; held for bookkeeping (and a log line at most twice a minute),
     * never during a call.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** Logins waiting for a slot, oldest first: a freed slot goes to the oldest. */
    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private int freeSlots;
    private long answeredCalls;
    /** A waiting login found STS stuck and STS has answered no call since. */
    private boolean stsStuck;
    private long stuckSince;
    private long refusedAtOnce;
    private boolean warnedThisSpell;
    private long lastWarningAt;
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
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.freeSlots = maxConcurrentCalls;
        this.nanoTime = nanoTime;
        this.lastWarningAt = nanoTime.getAsLong() - WARNING_INTERVAL.toNanos();
    }

    /**
     * {@code call}, made only while fewer than the maximum of calls through this limit are under way.
     *
     * @return an exchange that throws {@link AwsIdentityRejection} {@code 503 temporarily_unavailable},
     *         reason {@code sts_concurrency_limit}, when the login was refused a slot, and otherwise
     *         whatever {@code call} returns or throws
     */
    public StsExchange around(StsExchange call) {
        return request -> {
            takeSlot();
            // Only a call that brought STS's answer back is a sign that STS makes progress: while it
            // hangs, calls ending at their deadline must not keep the logins behind them waiting.
            boolean answered = false;
            try {
                StsReply reply = call.forward(request);
                answered = true;
                return reply;
            } finally {
                giveBack(answered);
            }
        };
    }

    /** Logins waiting for a slot now; for tests. */
    int waitingLogins() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a free slot, or waits for one as the class describes; throws the refusal otherwise. */
    private void takeSlot() {
        lock.lock();
        try {
            // Free slots exist only while nobody waits (a freed slot goes to the oldest waiting
            // login); the check on the queue keeps it so should that ever change.
            if (waiting.isEmpty() && freeSlots > 0) {
                freeSlots--;
                return;
            }
            if (stsStuck) {
                // Waiting would only hold one more worker thread until the same refusal: a login
                // waiting for a slot holds one too, and waiting logins are not counted.
                refusedAtOnce++;
                throw refused();
            }
            Waiter waiter = new Waiter(lock.newCondition());
            boolean tookSlot = false;
            try {
                waiting.addLast(waiter);
                awaitTurn(waiter);
                tookSlot = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refused();
            } finally {
                if (!tookSlot) {
                    // Refused, interrupted or failed: a slot handed over meanwhile goes to the next in line.
                    if (waiter.slotGiven) {
                        giveBack(false);
                    } else {
                        waiting.remove(waiter);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits, holding {@link #lock} between wake-ups, until {@code waiter} is given a slot or is refused. */
    private void awaitTurn(Waiter waiter) throws InterruptedException {
        long giveUpAt = nanoTime.getAsLong() + LONGEST_WAIT.toNanos();
        long answeredBefore = answeredCalls;
        boolean lateWakeExcused = false;
        while (true) {
            long periodStart = nanoTime.getAsLong();
            long periodNanos = Math.min(STALL.toNanos(), giveUpAt - periodStart);
            if (periodNanos <= 0) {
                throw refused();
            }
            long left = periodNanos;
            while (!waiter.slotGiven && left > 0) {
                left = waiter.turn.awaitNanos(left);
            }
            if (waiter.slotGiven) {
                return;
            }
            if (answeredCalls != answeredBefore) {
                answeredBefore = answeredCalls;
                continue;
            }
            boolean wokeLate = nanoTime.getAsLong() - periodStart > periodNanos + LATE_WAKE.toNanos();
            if (!wokeLate || lateWakeExcused) {
                // A last period cut short by the longest wait proves nothing about STS: only a
                // whole stall period without an answer makes the next logins refused at once.
                if (periodNanos == STALL.toNanos() && !stsStuck) {
                    startStuckSpell();
                }
                throw refused();
            }
            // Held up ourselves, the calls under way may have been too: one more period, once.
            lateWakeExcused = true;
        }
    }

    /**
     * Under {@link #lock}: STS answered nothing for a whole stall period, so logins finding every
     * slot taken are refused at once from now on.
     */
    private void startStuckSpell() {
        stsStuck = true;
        stuckSince = nanoTime.getAsLong();
        refusedAtOnce = 0;
        warnedThisSpell = stuckSince - lastWarningAt >= WARNING_INTERVAL.toNanos();
        if (warnedThisSpell) {
            lastWarningAt = stuckSince;
            LOG.warnf("AWS STS (any region) answered no call for %d ms while all max-concurrent-calls (%d) were under "
                    + "way: aws_identity logins that find every call slot taken are refused at once (503 "
                    + "temporarily_unavailable, event reason sts_concurrency_limit) until STS answers again. Logged at "
                    + "most once a minute", STALL.toMillis(), maxConcurrentCalls);
        }
    }

    /** Hands the slot of a finished call to the oldest waiting login, or frees it. */
    private void giveBack(boolean answered) {
        lock.lock();
        try {
            Waiter oldest = waiting.pollFirst();
            if (oldest == null) {
                freeSlots++;
            } else {
                oldest.slotGiven = true;
                oldest.turn.signal();
            }
            if (answered) {
                answeredCalls++;
                if (stsStuck) {
                    stsStuck = false;
                    if (warnedThisSpell) {
                        LOG.infof("AWS STS answers again, after %d ms; aws_identity logins refused at once meanwhile: %d",
                                TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - stuckSince), refusedAtOnce);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A login waiting for a slot; its fields are read and written only under {@link #lock}. */
    private static final class Waiter {
        final Condition turn;
        boolean slotGiven;

        Waiter(Condition turn) {
            this.turn = turn;
        }
    }

    private static AwsIdentityRejection refused() {
        return AwsIdentityRejection.unavailable("sts_concurrency_limit",
                "Too many AWS STS calls are under way; try again later");
    }
}
