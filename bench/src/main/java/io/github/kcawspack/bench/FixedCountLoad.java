package io.github.kcawspack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Sends exactly {@code count} requests with a number of clients, for measurements that need a known count. */
final class FixedCountLoad {

    /** @param seconds how long sending took */
    record Outcome(long tokens, Map<String, Long> errorKinds, double seconds) {
        long errors() {
            return errorKinds.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final TokenEndpoint endpoint;

    FixedCountLoad(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    Outcome send(int count, int clients, TokenRequestSource source) {
        AtomicInteger left = new AtomicInteger(count);
        LongAdder tokens = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int worker = i;
            Thread thread = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    TokenEndpoint.Outcome outcome = endpoint.post(source.next(worker));
                    if (outcome.token()) {
                        tokens.increment();
                    } else {
                        errors.computeIfAbsent(outcome.error(), k -> new LongAdder()).increment();
                    }
                }
            }, "bench-count-client-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Map<String, Long> kinds = new TreeMap<>();
        errors.forEach((kind, n) -> kinds.put(kind, n.sum()));
        return new Outcome(tokens.sum(), kinds, (System.nanoTime() - start) / 1e9);
    }
}
