package io.github.kcawspack.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs a phase: a fixed number of clients, each sending its next request as soon as the previous
 * one is answered (a closed loop, as wrk does), so that throughput is what the server sustains
 * at that concurrency and latency is what each client saw.
 */
final class ClosedLoopLoad {

    /** Told when the measured window opens and closes, to take readings exactly around it. */
    interface Window {
        Window UNOBSERVED = new Window() {
            @Override
            public void opened() {
            }

            @Override
            public void closed() {
            }
        };

        void opened();

        void closed();
    }

    /** What the clients saw: latencies of the tokens obtained in the window, and every failure. */
    record Tally(LatencySamples.Sorted latencies, long errors, Map<String, Long> errorKinds) {
    }

    private final TokenEndpoint endpoint;
    private final LongAdder tokensSoFar = new LongAdder();

    ClosedLoopLoad(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Tokens obtained by this load so far, warm-up included: lets a sampler see throughput over time. */
    long tokensSoFar() {
        return tokensSoFar.sum();
    }

    Tally run(int concurrency, Duration warmup, Duration duration, TokenRequestSource source, Window window) {
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + duration.toNanos();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<LatencySamples> samples = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            LatencySamples mine = new LatencySamples();
            samples.add(mine);
            int worker = i;
            Thread client = new Thread(() -> sendUntil(worker, source, windowStart, windowEnd, mine, errors),
                    "bench-client-" + i);
            client.setDaemon(true);
            client.start();
            clients.add(client);
        }
        Pause.until(windowStart);
        window.opened();
        Pause.until(windowEnd);
        window.closed();
        for (Thread client : clients) {
            joinUninterruptibly(client);
        }
        Map<String, Long> kinds = new TreeMap<>();
        errors.forEach((kind, count) -> kinds.put(kind, count.sum()));
        return new Tally(LatencySamples.merge(samples), kinds.values().stream().mapToLong(Long::longValue).sum(), kinds);
    }

    private void sendUntil(int worker, TokenRequestSource source, long windowStart, long windowEnd,
            LatencySamples latencies, Map<String, LongAdder> errors) {
        while (System.nanoTime() - windowEnd < 0) {
            TokenRequest request;
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
            if (sent - windowStart >= 0 && answered - windowEnd <= 0) {
                latencies.add(answered - sent);
            }
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
