package io.github.kcawspack.bench;

import io.github.kcawspack.it.harness.OAuthClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Load as wrk sends it: a fixed number of clients posting token requests back to back (a closed
 * loop) over HTTP/1.1 with keep-alive; not Gatling, as docs/benchmark.md explains. A closed loop
 * waits through a stall and so never measures the requests it would have sent meanwhile; the
 * latencies are therefore also recorded with {@link Histogram#recordValueWithExpectedInterval}, the
 * interval being the client's mean latency over the warm-up.
 */
final class Load {

    /** A token request encoded before the clock starts; {@code authorization} HTTP Basic, or null for a public client. */
    record Request(String form, String authorization) {
        static Request of(Map<String, String> parameters, String clientId, String clientSecret) {
            return new Request(OAuthClient.formEncode(parameters), clientSecret == null ? null : "Basic "
                    + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Where worker n's (from 0) next request comes from; called by many workers at once. */
    interface Source {
        Request next(int worker);
    }

    /**
     * Latencies in nanoseconds in the measured window, as measured and {@code corrected} for
     * coordinated omission (the percentiles' source); failures by kind, warm-up included.
     */
    record Tally(Histogram latencies, Histogram corrected, Map<String, Long> errorKinds) {
        long tokens() {
            return latencies.getTotalCount();
        }

        long errors() {
            return errorKinds.values().stream().mapToLong(Long::longValue).sum();
        }

        /** NaN when nothing was measured. */
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

    private final URI tokenEndpoint;
    // One client for all workers: the JDK keeps a connection per concurrent request. HTTP/1.1:
    // with HTTP/2 it would first try an h2c upgrade on plain http, which OAuth2 clients do not.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final LongAdder tokensSoFar = new LongAdder();

    Load(URI tokenEndpoint) {
        this.tokenEndpoint = tokenEndpoint;
    }

    /** Tokens obtained so far, warm-up included (the soak's readings). */
    long tokensSoFar() {
        return tokensSoFar.sum();
    }

    /**
     * {@code clients} clients for {@code warmup}, then {@code duration} measured; {@code opened}
     * and {@code closed} run the instant the measured window opens and closes, to take readings.
     */
    Tally run(int clients, Duration warmup, Duration duration, Source source, Runnable opened, Runnable closed) {
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
    Tally send(int count, int clients, Source source) {
        AtomicInteger left = new AtomicInteger(count);
        long start = System.nanoTime();
        return drive(clients, source, start, start + Long.MAX_VALUE / 2, () -> left.getAndDecrement() > 0, () -> { });
    }

    /** The JSON of a token response, for set-up steps; a refusal is an exception. */
    String obtain(Request request) throws IOException, InterruptedException {
        HttpResponse<String> response = post(request);
        if (error(response) != null) {
            throw new IllegalStateException("token request refused during set-up: " + error(response));
        }
        return response.body();
    }

    private Tally drive(int clients, Source source, long windowStart, long windowEnd, BooleanSupplier more,
            Runnable meanwhile) {
        List<Tally> tallies = Stream.generate(() -> new Tally(histogram(), histogram(), new TreeMap<>())).limit(clients).toList();
        CompletableFuture<?>[] workers = IntStream.range(0, clients).mapToObj(worker -> CompletableFuture.runAsync(
                () -> sendWhile(worker, source, windowStart, windowEnd, more, tallies.get(worker)),
                task -> daemon("bench-client-" + worker, task))).toArray(CompletableFuture[]::new);
        meanwhile.run();
        CompletableFuture.allOf(workers).join();
        return Tally.combine(tallies);
    }

    /** One client; {@code tally} is its own, so that it records without contending with the others. */
    private void sendWhile(int worker, Source source, long windowStart, long windowEnd, BooleanSupplier more, Tally tally) {
        long warmupNanos = 0;
        long warmupAnswers = 0;
        while (more.getAsBoolean()) {
            Request request;
            try {
                request = source.next(worker);
            } catch (RuntimeException e) {
                tally.errorKinds().merge("client: " + e.getMessage(), 1L, Long::sum);
                return;
            }
            long sent = System.nanoTime();
            String error;
            try {
                error = error(post(request));
            } catch (IOException e) {
                error = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                return;
            }
            long answered = System.nanoTime();
            if (error != null) {
                tally.errorKinds().merge(error, 1L, Long::sum);
                continue;
            }
            tokensSoFar.increment();
            // A window counts the answers that arrive in it, as the CPU readings at its edges do:
            // counting the requests sent in it would miss about one per client at its end, a few
            // per cent of a two-second slice with 64 clients.
            if (answered - windowStart < 0) {
                warmupNanos += answered - sent;
                warmupAnswers++;
            } else if (answered - windowEnd <= 0) {
                tally.latencies().recordValue(answered - sent);
                tally.corrected().recordValueWithExpectedInterval(answered - sent, expectedInterval(warmupNanos, warmupAnswers));
            }
        }
    }

    private HttpResponse<String> post(Request request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(request.form()));
        if (request.authorization() != null) {
            builder.header("Authorization", request.authorization());
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Null when the answer carries a token, else its status and the start of its body. */
    private static String error(HttpResponse<String> response) {
        String body = response.body();
        return response.statusCode() == 200 && body.contains("\"access_token\"") ? null
                : response.statusCode() + " " + (body.length() > 160 ? body.substring(0, 160) + "..." : body);
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
