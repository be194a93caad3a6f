package io.github.kcawspack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The soak (issue 7): all four grants at once for a long time, with Keycloak's heap after GC and
 * its open file descriptors read at the end of the warm-up, at every interval, and at the end. A
 * leak shows as growth from first to last reading; flat within {@link #TOLERANCE} passes.
 */
final class SoakRun {

    static final double TOLERANCE = 0.10;

    /** Enough signed requests for tens of seconds of aws_identity load; topped up in the background. */
    private static final int SIGNED_AHEAD = 5_000;

    private final BenchOptions options;
    private final BenchServer server;

    SoakRun(BenchOptions options, BenchServer server) {
        this.options = options;
        this.server = server;
    }

    SoakReport run() throws Exception {
        TokenEndpoint endpoint = server.tokenEndpoint();
        AwsWorkloads workloads = new AwsWorkloads(server.sts(), server.realmUrl(), options.principals());
        workloads.logInEachOnce(endpoint);
        SignedRequestPool signedRequests = new SignedRequestPool(workloads);
        Map<Grant, Integer> clients = MixedLoad.clientsPerGrant(options.soakConcurrency());
        Map<Grant, TokenRequestSource> sources = GrantSources.all(endpoint, signedRequests, clients.get(Grant.REFRESH_TOKEN));
        signedRequests.fillTo(SIGNED_AHEAD);

        System.out.printf("  soak: clients %s; %d s warm-up, then %d min measured, readings every %d s%n", clients,
                options.soakWarmup().toSeconds(), options.soakDuration().toMinutes(),
                options.soakSampleInterval().toSeconds());
        try (AutoCloseable refill = signedRequests.keepFilled(SIGNED_AHEAD)) {
            long start = System.nanoTime();
            MixedLoad load = MixedLoad.start(endpoint, clients, sources, options.soakWarmup(), options.soakDuration());
            SoakSampler sampler = new SoakSampler(server.jvm(), load.loads());
            List<SoakReport.Sample> samples = sampler.sample(
                    start, start + options.soakWarmup().toNanos(), options.soakDuration(), options.soakSampleInterval());
            List<SoakReport.GrantSummary> grants = new ArrayList<>();
            double seconds = options.soakDuration().toNanos() / 1e9;
            for (Grant grant : clients.keySet()) {
                grants.add(SoakReport.GrantSummary.of(grant, clients.get(grant), load.tally(grant), seconds));
            }
            SoakReport.Sample first = samples.get(0);
            SoakReport.Sample last = samples.get(samples.size() - 1);
            return new SoakReport(samples, grants,
                    SoakReport.Verdict.of(first.heapAfterGcBytes(), last.heapAfterGcBytes(), TOLERANCE),
                    SoakReport.Verdict.of(first.openFileDescriptors(), last.openFileDescriptors(), TOLERANCE),
                    sampler.grownClasses(12), sampler.shrunkClasses(8));
        }
    }
}
