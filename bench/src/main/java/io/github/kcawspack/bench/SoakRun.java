package io.github.kcawspack.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The soak (issue 7): all four grants at once for a long time, with Keycloak's heap after GC and
 * its open file descriptors read at the end of the warm-up, at every interval, and at the end. A
 * leak shows as growth from first to last reading; flat within {@link #TOLERANCE} passes.
 */
final class SoakRun {

    static final double TOLERANCE = 0.10;

    /** Enough signed requests for tens of seconds of aws_identity load; topped up in the background. */
    private static final int SIGNED_AHEAD = 5_000;

    /** Clients per grant out of every 8: aws_identity most, password (deliberately slow hashing) least. */
    private static final Map<Grant, Integer> MIX = new EnumMap<>(Map.of(
            Grant.AWS_IDENTITY, 3, Grant.CLIENT_CREDENTIALS, 2, Grant.REFRESH_TOKEN, 2, Grant.PASSWORD, 1));

    private final BenchOptions options;
    private final BenchServer server;

    SoakRun(BenchOptions options, BenchServer server) {
        this.options = options;
        this.server = server;
    }

    SoakReport run() throws Exception {
        TokenEndpoint endpoint = server.tokenEndpoint();
        SignedRequestPool signedRequests = new SignedRequestPool(server.sts(), server.realmUrl(), options.principals());
        signedRequests.logInEachOnce(endpoint);
        Map<Grant, Integer> clients = clientsPerGrant(options.soakConcurrency());
        Map<Grant, TokenRequest.Source> sources = Map.of(Grant.AWS_IDENTITY, signedRequests,
                Grant.CLIENT_CREDENTIALS, DemoRealm.clientCredentials(), Grant.PASSWORD, DemoRealm.password(),
                Grant.REFRESH_TOKEN, DemoRealm.refreshToken(endpoint, clients.get(Grant.REFRESH_TOKEN)));
        signedRequests.fillTo(SIGNED_AHEAD);

        System.out.printf("  soak: clients %s; %d s warm-up, then %d min measured, readings every %d s%n", clients,
                options.soakWarmup().toSeconds(), options.soakDuration().toMinutes(),
                options.soakSampleInterval().toSeconds());
        try (AutoCloseable refill = signedRequests.keepFilled(SIGNED_AHEAD)) {
            long start = System.nanoTime();
            Map<Grant, Load> loads = new EnumMap<>(Grant.class);
            Map<Grant, CompletableFuture<Load.Tally>> tallies = new EnumMap<>(Grant.class);
            clients.forEach((grant, count) -> {
                Load load = new Load(endpoint);
                loads.put(grant, load);
                tallies.put(grant, CompletableFuture.supplyAsync(() -> load.run(count, options.soakWarmup(),
                        options.soakDuration(), sources.get(grant), Load.Window.NONE), task -> new Thread(task).start()));
            });
            List<SoakReport.Sample> samples = new ArrayList<>();
            long first = start + options.soakWarmup().toNanos();
            long end = first + options.soakDuration().toNanos();
            long lastReading = start;
            Map<Grant, Long> tokensBefore = new EnumMap<>(Grant.class);
            List<ClassHistogram> liveObjects = new ArrayList<>();
            for (long at = first; ; at = Math.min(at + options.soakSampleInterval().toNanos(), end)) {
                Load.pauseUntil(at);
                long now = System.nanoTime();
                Map<String, Double> tokensPerSecond = new LinkedHashMap<>();
                Map<String, Long> rounded = new LinkedHashMap<>();
                for (Map.Entry<Grant, Load> load : loads.entrySet()) {
                    long tokens = load.getValue().tokensSoFar();
                    Long before = tokensBefore.put(load.getKey(), tokens);
                    double perSecond = (tokens - (before == null ? 0 : before)) / Math.max(1e-9, (now - lastReading) / 1e9);
                    tokensPerSecond.put(load.getKey().wireName(), perSecond);
                    rounded.put(load.getKey().wireName(), Math.round(perSecond));
                }
                lastReading = now;
                // Descriptors first: the GC the heap reading forces must not be what changes them.
                int fds = server.jvm().openFileDescriptors();
                liveObjects.add(server.jvm().liveObjects());
                SoakReport.Sample sample = new SoakReport.Sample((now - first) / 60e9, liveObjects.get(liveObjects.size() - 1)
                        .totalBytes(), fds, tokensPerSecond, loads.get(Grant.AWS_IDENTITY).tokensSoFar(), LoadAverage.now());
                System.out.printf("  %5.1f min: live objects after GC %6.1f MB, %4d open fds, tokens/s %s%n", sample.minute(),
                        sample.heapAfterGcBytes() / 1048576.0, fds, rounded);
                samples.add(sample);
                if (at == end) {
                    break;
                }
            }
            List<SoakReport.GrantSummary> grants = new ArrayList<>();
            double seconds = options.soakDuration().toNanos() / 1e9;
            for (Grant grant : clients.keySet()) {
                grants.add(SoakReport.GrantSummary.of(grant, clients.get(grant), tallies.get(grant).join(), seconds));
            }
            SoakReport.Sample firstSample = samples.get(0);
            SoakReport.Sample lastSample = samples.get(samples.size() - 1);
            ClassHistogram firstLive = liveObjects.get(0);
            ClassHistogram lastLive = liveObjects.get(liveObjects.size() - 1);
            return new SoakReport(samples, grants,
                    SoakReport.Verdict.of(firstSample.heapAfterGcBytes(), lastSample.heapAfterGcBytes(), TOLERANCE),
                    SoakReport.Verdict.of(firstSample.openFileDescriptors(), lastSample.openFileDescriptors(), TOLERANCE),
                    lastLive.largestGrowthSince(firstLive, 12), lastLive.largestShrinkSince(firstLive, 8));
        }
    }

    /** Splits {@code total} clients over the grants by the mix, at least one each. */
    static Map<Grant, Integer> clientsPerGrant(int total) {
        int parts = MIX.values().stream().mapToInt(Integer::intValue).sum();
        Map<Grant, Integer> clients = new LinkedHashMap<>();
        MIX.forEach((grant, weight) -> clients.put(grant, Math.max(1, total * weight / parts)));
        return clients;
    }
}
