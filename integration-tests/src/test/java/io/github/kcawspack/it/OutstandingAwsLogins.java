package io.github.kcawspack.it;

import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a number of aws_identity clients logging in at the same time, each with one request
 * outstanding: it sends, waits for the answer, and sends again no sooner than {@code pacing} after
 * its previous send. Paced like that, a client refused at once does not turn into a busy loop, so
 * the load on the server is the outstanding requests, not a flood of fast retries.
 */
final class OutstandingAwsLogins implements AutoCloseable {

    /** One login's answer and how long it took. */
    record Outcome(int status, String error, Duration took) {
    }

    private final AwsWorkload workload;
    private final Duration pacing;
    private final ExecutorService clients;
    private final List<Future<List<Outcome>>> loops = new ArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicInteger inFlight = new AtomicInteger();

    private OutstandingAwsLogins(AwsWorkload workload, int clientCount, Duration pacing) {
        this.workload = workload;
        this.pacing = pacing;
        this.clients = Executors.newFixedThreadPool(clientCount);
        for (int i = 0; i < clientCount; i++) {
            loops.add(clients.submit(this::loginUntilStopped));
        }
    }

    static OutstandingAwsLogins start(AwsWorkload workload, int clients, Duration pacing) {
        return new OutstandingAwsLogins(workload, clients, pacing);
    }

    /** Logins sent and not yet answered. */
    int inFlight() {
        return inFlight.get();
    }

    /** Lets every client finish its current login, and returns all outcomes. */
    List<Outcome> stop() throws Exception {
        stopping.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<List<Outcome>> loop : loops) {
            outcomes.addAll(loop.get(1, TimeUnit.MINUTES));
        }
        return outcomes;
    }

    private List<Outcome> loginUntilStopped() throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        while (stopping.getCount() > 0) {
            SignedStsRequest signed = workload.deployer().sign();
            long sent = System.nanoTime();
            inFlight.incrementAndGet();
            Answer answer;
            try {
                answer = workload.login(signed);
            } finally {
                inFlight.decrementAndGet();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            outcomes.add(new Outcome(answer.status(), answer.text("error"), took));
            if (stopping.await(Math.max(0, pacing.minus(took).toMillis()), TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        return outcomes;
    }

    @Override
    public void close() {
        stopping.countDown();
        clients.shutdownNow();
    }
}
