package io.github.kcawspack.bench;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * aws_identity requests signed ahead of time, so that the client's SigV4 signing is not part of
 * what a phase measures. Each is used once (a second use is a replay, refused), and only while
 * fresh: Keycloak refuses requests older than the realm's maximum age (15 minutes in the demo
 * realm), so the pool never hands out one older than {@link #USABLE_FOR}. If the pool runs dry,
 * a worker signs for itself and the phase reports how often that happened.
 */
final class SignedRequestPool implements TokenRequestSource {

    /** Well inside the 15-minute maximum age, whatever the clocks and rounding to seconds do. */
    static final Duration USABLE_FOR = Duration.ofMinutes(10);

    private record Signed(TokenRequest request, long signedAtNanos) {
    }

    private final AwsWorkloads workloads;
    private final Queue<Signed> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final AtomicInteger nextWorkload = new AtomicInteger();
    private final AtomicLong signedByWorkers = new AtomicLong();
    private final AtomicLong discardedStale = new AtomicLong();

    SignedRequestPool(AwsWorkloads workloads) {
        this.workloads = workloads;
    }

    /** Signs until {@code count} fresh requests are ready, on every core (before a phase, not during). */
    void fillTo(int count) {
        dropStale();
        int missing = count - readyCount.get();
        if (missing > 0) {
            long start = System.nanoTime();
            IntStream.range(0, missing).parallel().forEach(i -> offer(sign()));
            System.out.printf("  signed %d aws_identity requests ahead in %.1f s%n", missing, (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * For runs longer than requests stay fresh (the soak): a background thread tops the pool up
     * to {@code target} whenever it is below half of it, signing on one core while load runs.
     */
    AutoCloseable keepFilled(int target) {
        Thread refill = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                dropStale();
                while (readyCount.get() < target) {
                    offer(sign());
                }
                try {
                    do {
                        Thread.sleep(100);
                    } while (readyCount.get() > target / 2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "signed-request-refill");
        refill.setDaemon(true);
        refill.start();
        return refill::interrupt;
    }

    int ready() {
        return readyCount.get();
    }

    /** Requests workers had to sign during load because the pool was empty. */
    long signedByWorkers() {
        return signedByWorkers.get();
    }

    long discardedStale() {
        return discardedStale.get();
    }

    @Override
    public TokenRequest next(int worker) {
        long oldestUsable = System.nanoTime() - USABLE_FOR.toNanos();
        for (Signed signed; (signed = ready.poll()) != null; ) {
            readyCount.decrementAndGet();
            if (signed.signedAtNanos() - oldestUsable >= 0) {
                return signed.request();
            }
            discardedStale.incrementAndGet();
        }
        signedByWorkers.incrementAndGet();
        return sign().request();
    }

    private void dropStale() {
        long oldestUsable = System.nanoTime() - USABLE_FOR.toNanos();
        // Signed in order, so the stale ones are at the head.
        for (Signed head; (head = ready.peek()) != null && head.signedAtNanos() - oldestUsable < 0; ) {
            if (ready.remove(head)) {
                readyCount.decrementAndGet();
                discardedStale.incrementAndGet();
            }
        }
    }

    private void offer(Signed signed) {
        ready.add(signed);
        readyCount.incrementAndGet();
    }

    private Signed sign() {
        long signedAt = System.nanoTime();
        return new Signed(workloads.signedRequest(nextWorkload.getAndIncrement()), signedAt);
    }
}
