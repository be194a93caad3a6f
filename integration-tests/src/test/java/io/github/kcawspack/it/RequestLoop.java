package io.github.kcawspack.it;

import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Token requests sent over and over, one thread per kind, until closed; every outcome is kept. A
 * request succeeded when it answered 200 with an access token; anything else, an exception
 * included, is a failure with what the server said.
 */
final class RequestLoop implements AutoCloseable {

    record Outcome(String kind, Instant finished, boolean succeeded, String detail) {
        @Override
        public String toString() {
            return finished + " " + kind + ": " + detail;
        }
    }

    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private RequestLoop() {
    }

    static RequestLoop start(Map<String, Supplier<Answer>> requestsByKind) {
        RequestLoop loop = new RequestLoop();
        requestsByKind.forEach((kind, request) -> {
            Thread thread = new Thread(() -> loop.repeat(kind, request), "request-loop-" + kind);
            thread.setDaemon(true);
            loop.threads.add(thread);
            thread.start();
        });
        return loop;
    }

    private void repeat(String kind, Supplier<Answer> request) {
        while (running) {
            Outcome outcome;
            try {
                Answer answer = request.get();
                boolean succeeded = answer.status() == 200 && answer.text("access_token") != null;
                outcome = new Outcome(kind, Instant.now(), succeeded, succeeded ? "200" : answer.toString());
            } catch (RuntimeException e) {
                outcome = new Outcome(kind, Instant.now(), false, e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
            }
            outcomes.add(outcome);
        }
    }

    /** Successful requests that finished after {@code since}, counted per kind. */
    Map<String, Long> successesSince(Instant since) {
        return outcomes.stream()
                .filter(outcome -> outcome.succeeded() && outcome.finished().isAfter(since))
                .collect(Collectors.groupingBy(Outcome::kind, Collectors.counting()));
    }

    List<Outcome> failures() {
        return outcomes.stream().filter(outcome -> !outcome.succeeded()).toList();
    }

    /**
     * Waits until every kind has had {@code each} successful requests finish after {@code since};
     * returns early when a request fails, which the caller asserts on.
     */
    void awaitSuccessesSince(Instant since, int each, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && failures().isEmpty()) {
            Map<String, Long> successes = successesSince(since);
            if (successes.size() == threads.size() && successes.values().stream().allMatch(count -> count >= each)) {
                return;
            }
            pause();
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                // a request in flight ends within the client's 30 s timeout
                thread.join(Duration.ofSeconds(40).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
