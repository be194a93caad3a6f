package io.github.kcawspack.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * The soak (issue 7): all four grants at once for a long time, Keycloak's live objects and open
 * file descriptors read at intervals; flat within {@link #TOLERANCE} from first to last passes.
 */
final class SoakRun {

    static final double TOLERANCE = 0.10;
    /** Enough signed requests for tens of seconds of aws_identity load; topped up in the background. */
    private static final int SIGNED_AHEAD = 5_000;
    /** Clients per grant out of every 8: aws_identity most, password (deliberately slow hashing) least. */
    private static final List<Map.Entry<String, Integer>> MIX = List.of(Map.entry(BenchServer.AWS_IDENTITY, 3),
            Map.entry("client_credentials", 2), Map.entry("refresh_token", 2), Map.entry("password", 1));

    record Report(List<Sample> samples, List<GrantSummary> grants, Verdict heap, Verdict fileDescriptors,
            List<BenchServer.ClassHistogram.Delta> grownClasses, List<BenchServer.ClassHistogram.Delta> shrunkClasses) {
    }

    /** One reading; tokens per second since the previous one. */
    record Sample(double minute, long heapAfterGcBytes, int openFileDescriptors, Map<String, Double> tokensPerSecond,
            long awsIdentityAcceptedSoFar, Results.LoadAverage loadAverage) {
    }

    /** One grant's figures over the measured time, latencies in milliseconds. */
    record GrantSummary(String grant, int clients, long tokens, double tokensPerSecond, double p50Ms, double p95Ms,
            double p99Ms, long errors, Map<String, Long> errorKinds, @JsonIgnore Histogram latencies) {
        static GrantSummary of(String grant, int clients, Load.Tally tally, double seconds) {
            return new GrantSummary(grant, clients, tally.tokens(), tally.tokens() / seconds, tally.percentileMillis(50),
                    tally.percentileMillis(95), tally.percentileMillis(99), tally.errors(), tally.errorKinds(), tally.corrected());
        }
    }

    record Verdict(long start, long end, double change, double tolerance, boolean pass) {
        static Verdict of(long start, long end) {
            double change = (double) (end - start) / start;
            return new Verdict(start, end, change, TOLERANCE, Math.abs(change) <= TOLERANCE);
        }
    }

    private final BenchOptions options;
    private final BenchServer server;

    SoakRun(BenchOptions options, BenchServer server) {
        this.options = options;
        this.server = server;
    }

    Report run() throws Exception {
        RequestPool signedRequests = RequestPool.awsIdentity(server, options.principals())
                .logInEachOnce(server.load());
        Map<String, Integer> clients = clientsPerGrant(options.soakConcurrency());
        Map<String, Load.Source> sources = Map.of(BenchServer.AWS_IDENTITY, signedRequests,
                "client_credentials", BenchServer.clientCredentials(), "password", BenchServer.password(),
                "refresh_token", server.refreshToken(clients.get("refresh_token")));
        signedRequests.fillTo(SIGNED_AHEAD);
        Duration warmup = Duration.ofSeconds(options.soakWarmupSeconds());
        Duration measured = Duration.ofMinutes(options.soakMinutes());
        System.out.printf("  soak: clients %s; %d s warm-up, then %d min measured, readings every %d s%n", clients,
                warmup.toSeconds(), measured.toMinutes(), options.soakSampleSeconds());
        try (AutoCloseable refill = signedRequests.keepFilled(SIGNED_AHEAD)) {
            Map<String, Load> loads = new LinkedHashMap<>();
            Map<String, CompletableFuture<Load.Tally>> tallies = new LinkedHashMap<>();
            clients.forEach((grant, count) -> {
                Load load = loads.computeIfAbsent(grant, g -> server.load());
                tallies.put(grant, CompletableFuture.supplyAsync(() -> load.run(count, warmup, measured, sources.get(grant),
                        () -> { }, () -> { }), task -> new Thread(task).start()));
            });
            long first = System.nanoTime() + warmup.toNanos();
            long end = first + measured.toNanos();
            long lastReading = System.nanoTime();
            Map<String, Long> tokensBefore = new LinkedHashMap<>();
            List<Sample> samples = new ArrayList<>();
            List<BenchServer.ClassHistogram> liveObjects = new ArrayList<>(); // the first and the last are compared
            for (long at = first; ; at = Math.min(at + Duration.ofSeconds(options.soakSampleSeconds()).toNanos(), end)) {
                Load.pauseUntil(at);
                long now = System.nanoTime();
                double seconds = (now - lastReading) / 1e9;
                Map<String, Double> tokensPerSecond = new LinkedHashMap<>();
                loads.forEach((grant, load) -> {
                    long tokens = load.tokensSoFar();
                    tokensPerSecond.put(grant, (double) Math.round((tokens - tokensBefore.getOrDefault(grant, 0L)) / seconds));
                    tokensBefore.put(grant, tokens);
                });
                lastReading = now;
                // Descriptors first: the GC the heap reading forces must not be what changes them.
                int fds = server.openFileDescriptors();
                liveObjects.add(server.liveObjects());
                Sample sample = new Sample((now - first) / 60e9, liveObjects.get(liveObjects.size() - 1).totalBytes(), fds,
                        tokensPerSecond, loads.get(BenchServer.AWS_IDENTITY).tokensSoFar(), Results.LoadAverage.now());
                System.out.printf("  %5.1f min: live objects after GC %6.1f MB, %4d open fds, tokens/s %s%n", sample.minute(),
                        sample.heapAfterGcBytes() / 1048576.0, fds, tokensPerSecond);
                samples.add(sample);
                if (at == end) {
                    break;
                }
            }
            List<GrantSummary> grants = clients.entrySet().stream().map(grant -> GrantSummary.of(grant.getKey(),
                    grant.getValue(), tallies.get(grant.getKey()).join(), measured.toSeconds())).toList();
            BenchServer.ClassHistogram firstLive = liveObjects.get(0);
            BenchServer.ClassHistogram lastLive = liveObjects.get(liveObjects.size() - 1);
            return new Report(samples, grants, Verdict.of(firstLive.totalBytes(), lastLive.totalBytes()),
                    Verdict.of(samples.get(0).openFileDescriptors(), samples.get(samples.size() - 1).openFileDescriptors()),
                    lastLive.changesSince(firstLive, true, 12), lastLive.changesSince(firstLive, false, 8));
        }
    }

    /** Splits {@code total} clients over the grants by the mix, at least one each. */
    static Map<String, Integer> clientsPerGrant(int total) {
        int parts = MIX.stream().mapToInt(Map.Entry::getValue).sum();
        Map<String, Integer> clients = new LinkedHashMap<>();
        MIX.forEach(grant -> clients.put(grant.getKey(), Math.max(1, total * grant.getValue() / parts)));
        return clients;
    }
}
