package io.github.kcawspack.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * Load as wrk sends it: a fixed number of clients, each sending its next request as soon as the
 * previous one is answered (a closed loop), latencies recorded in HdrHistogram. A small loop of
 * its own rather than Gatling: every figure is a reading taken at the instants a measured window
 * opens and closes, over stretches of a few seconds that alternate phases in one JVM.
 *
 * <p>A closed loop waits while the server stalls, so the requests it would have sent meanwhile
 * are never measured (coordinated omission). Each client's latencies are therefore also
 * recorded with {@link Histogram#recordValueWithExpectedInterval}, the expected interval being
 * that client's mean latency over the warm-up: the pace it kept when nothing stalled.
 */
final class Load {

    /**
     * What the clients saw: latencies in nanoseconds of the tokens obtained in the measured
     * window, as measured and {@code corrected} for coordinated omission (the percentiles are read
     * from these); failures by kind, warm-up included.
     */
    record Tally(Histogram latencies, Histogram corrected, Map<String, Long> errorKinds) {
        long tokens() {
            return latencies.getTotalCount();
        }

        long errors() {
            return errorKinds.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Percentile of the corrected latencies in milliseconds; NaN when nothing was measured. */
        double percentileMillis(double percentile) {
            return corrected.getTotalCount() == 0 ? Double.NaN : corrected.getValueAtPercentile(percentile) / 1e6;
        }

        static Tally combine(List<Tally> tallies) {
            Tally all = new Tally(histogram(), histogram(), new TreeMap<>());
            for (Tally tally : tallies) {
                all.latencies.add(tally.latencies);
                all.corrected.add(tally.corrected);
                tally.errorKinds.forEach((kind, count) -> all.errorKinds.merge(kind, count, Long::sum));
            }
            return all;
        }
    }

    private final TokenEndpoint endpoint;
    private final LongAdder tokensSoFar = new LongAdder();

    Load(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Tokens obtained by this load so far, warm-up included (the soak's readings). */
    long tokensSoFar() {
        return tokensSoFar.sum();
    }

    /**
     * {@code clients} clients for {@code warmup}, then {@code duration} measured; {@code opened}
     * and {@code closed} run the instant the measured window opens and closes, to take readings.
     */
    Tally run(int clients, Duration warmup, Duration duration, TokenEndpoint.Source source, Runnable opened, Runnable closed) {
        long windowStart = System.nanoTime() + warmup.toNanos();
        long windowEnd = windowStart + duration.toNanos();
        return drive(clients, source, windowStart, windowEnd, () -> System.nanoTime() - windowEnd < 0, () -> {
            pauseUntil(windowStart);
            opened.run();
            pauseUntil(windowEnd);
            closed.run();
        });
    }

    /** Exactly {@code count} requests over {@code clients} clients, every one of them measured. */
    Tally send(int count, int clients, TokenEndpoint.Source source) {
        AtomicInteger left = new AtomicInteger(count);
        long start = System.nanoTime();
        return drive(clients, source, start, start + Long.MAX_VALUE / 2, () -> left.getAndDecrement() > 0, () -> { });
    }

    private Tally drive(int clients, TokenEndpoint.Source source, long windowStart, long windowEnd, BooleanSupplier more,
            Runnable meanwhile) {
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Tally mine = new Tally(histogram(), histogram(), Map.of());
            tallies.add(mine);
            int worker = i;
            threads.add(daemon("bench-client-" + i, () -> sendWhile(worker, source, windowStart, windowEnd, more, mine, errors)));
        }
        meanwhile.run();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Tally all = Tally.combine(tallies);
        errors.forEach((kind, count) -> all.errorKinds().put(kind, count.sum()));
        return all;
    }

    private void sendWhile(int worker, TokenEndpoint.Source source, long windowStart, long windowEnd, BooleanSupplier more,
            Tally tally, Map<String, LongAdder> errors) {
        long warmupNanos = 0;
        long warmupAnswers = 0;
        while (more.getAsBoolean()) {
            TokenEndpoint.Request request;
            try {
                request = source.next(worker);
            } catch (RuntimeException e) {
                errors.computeIfAbsent("client: " + e.getMessage(), k -> new LongAdder()).increment();
                return;
            }
            long sent = System.nanoTime();
            TokenEndpoint.Outcome outcome = endpoint.post(request);
            long answered = System.nanoTime();
            if (!outcome.token()) {
                // Counted in warm-up too: a target is zero errors over the whole run.
                errors.computeIfAbsent(outcome.error(), k -> new LongAdder()).increment();
                continue;
            }
            tokensSoFar.increment();
            if (sent - windowStart < 0) {
                warmupNanos += answered - sent;
                warmupAnswers++;
            } else if (answered - windowEnd <= 0) {
                tally.latencies().recordValue(answered - sent);
                tally.corrected().recordValueWithExpectedInterval(answered - sent, expectedInterval(warmupNanos, warmupAnswers));
            }
        }
    }

    /** The pace a client kept during the warm-up; 0 (no correction) without one. */
    static long expectedInterval(long warmupNanos, long warmupAnswers) {
        return warmupAnswers == 0 ? 0 : warmupNanos / warmupAnswers;
    }

    /** A started daemon thread: the load must never keep the JVM from ending. */
    static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static Histogram histogram() {
        return new Histogram(3);
    }

    static void pauseUntil(long nanoTime) {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }
}
