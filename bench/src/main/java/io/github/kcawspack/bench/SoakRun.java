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
            SoakSampler sampler = new SoakSampler(server.jvm(), loads);
            List<SoakReport.Sample> samples = sampler.sample(
                    start, start + options.soakWarmup().toNanos(), options.soakDuration(), options.soakSampleInterval());
            List<SoakReport.GrantSummary> grants = new ArrayList<>();
            double seconds = options.soakDuration().toNanos() / 1e9;
            for (Grant grant : clients.keySet()) {
                grants.add(SoakReport.GrantSummary.of(grant, clients.get(grant), tallies.get(grant).join(), seconds));
            }
            SoakReport.Sample first = samples.get(0);
            SoakReport.Sample last = samples.get(samples.size() - 1);
            return new SoakReport(samples, grants,
                    SoakReport.Verdict.of(first.heapAfterGcBytes(), last.heapAfterGcBytes(), TOLERANCE),
                    SoakReport.Verdict.of(first.openFileDescriptors(), last.openFileDescriptors(), TOLERANCE),
                    sampler.grownClasses(12), sampler.shrunkClasses(8));
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
