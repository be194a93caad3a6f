package io.github.kcawspack.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default benchmark, on one server: every grant at once to warm the server up, then the four
 * grants one after the other, the replay store's footprint, and aws_identity with many clients
 * without and with STS latency. The targets of issue 6 are judged from these figures.
 */
final class ThroughputRun {

    private final BenchOptions options;
    private final BenchServer server;
    private final PhaseRunner phases;
    private final AwsWorkloads workloads;
    private final SignedRequestPool signedRequests;

    ThroughputRun(BenchOptions options, BenchServer server, Path jfrDirectory) {
        this.options = options;
        this.server = server;
        this.phases = new PhaseRunner(server, jfrDirectory);
        this.workloads = new AwsWorkloads(server.sts(), server.realmUrl(), options.principals());
        this.signedRequests = new SignedRequestPool(workloads);
    }

    ThroughputReport run() throws Exception {
        TokenEndpoint endpoint = server.tokenEndpoint();
        int clients = options.concurrency();
        int manyClients = options.latencyConcurrency();
        workloads.logInEachOnce(endpoint);
        WarmUp warmUp = warmUp(endpoint);
        List<PhaseResult> results = new ArrayList<>();

        PhaseResult clientCredentials = phase(results, "client_credentials", Grant.CLIENT_CREDENTIALS, clients,
                NativeGrantRequests.clientCredentials());
        PhaseResult awsIdentity = awsPhase(results, "aws_identity", clients, Duration.ZERO, warmUp.awsTokensPerSecond());
        phase(results, "password", Grant.PASSWORD, clients, NativeGrantRequests.password());
        phase(results, "refresh_token", Grant.REFRESH_TOKEN, clients, NativeGrantRequests.refreshToken(endpoint, clients));

        // Before the many-client phases: their extra Keycloak worker threads, retired a minute
        // later, would move the heap while the replay store is being weighed.
        ReplayStoreFootprint.Result replay = new ReplayStoreFootprint(server, phases, signedRequests, options)
                .measure(awsIdentity.tokensPerSecond());

        PhaseResult awsManyClients = awsPhase(results, "aws_identity many clients", manyClients, Duration.ZERO,
                awsIdentity.tokensPerSecond());
        PhaseResult awsWithLatency = awsPhase(results, "aws_identity many clients, slow STS", manyClients,
                options.stsLatency(), awsManyClients.tokensPerSecond());
        server.sts().setLatency(Duration.ZERO);

        Targets targets = Targets.judge(clientCredentials, awsIdentity, awsManyClients, awsWithLatency, results,
                warmUp.errors(), replay, phases.stsConnectionsSoFar());
        return new ThroughputReport(warmUp.errorKinds(), results, replay, targets, phases.stsConnectionsSoFar());
    }

    /** What the warm-up leaves behind: its failures (they count) and aws_identity's pace, to size the next pool. */
    private record WarmUp(Map<String, Long> errorKinds, double awsTokensPerSecond) {
        long errors() {
            return errorKinds.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every grant's code compiled by the JIT before any phase: otherwise the first phases pay for it. */
    private WarmUp warmUp(TokenEndpoint endpoint) throws Exception {
        Duration time = options.serverWarmup();
        System.out.printf("  warm-up: all grants at once, %d clients, %d s ... ", options.concurrency(), time.toSeconds());
        System.out.flush();
        Map<Grant, Integer> clients = MixedLoad.clientsPerGrant(options.concurrency());
        MixedLoad load;
        try (AutoCloseable refill = signedRequests.keepFilled(2_000)) {
            load = phases.countingStsConnections(() -> {
                MixedLoad mixed = MixedLoad.start(endpoint, clients,
                        GrantSources.all(endpoint, signedRequests, clients.get(Grant.REFRESH_TOKEN)), Duration.ZERO, time);
                mixed.tally(Grant.AWS_IDENTITY);
                return mixed;
            });
        }
        WarmUp warmUp = new WarmUp(load.errorKinds(), load.loads().get(Grant.AWS_IDENTITY).tokensSoFar()
                / Math.max(1.0, time.toSeconds()));
        System.out.printf("%d errors%n", warmUp.errors());
        return warmUp;
    }

    private PhaseResult phase(List<PhaseResult> results, String name, Grant grant, int clients, TokenRequestSource source) {
        PhaseResult result = phases.run(new PhasePlan(name, grant, clients, Duration.ZERO, options.warmup(),
                options.duration()), source, () -> 0);
        results.add(result);
        return result;
    }

    /**
     * Signs enough requests for the phase before it starts, from a throughput measured earlier in
     * the run, with room to spare: a worker that finds the pool empty signs during load, which the
     * phase then reports.
     */
    private PhaseResult awsPhase(List<PhaseResult> results, String name, int clients, Duration stsLatency,
            double expectedTokensPerSecond) {
        double seconds = options.warmup().plus(options.duration()).toSeconds();
        int needed = (int) Math.min(400_000, Math.ceil(Math.max(50, expectedTokensPerSecond) * 2 * seconds) + 20L * clients);
        signedRequests.fillTo(needed);
        PhaseResult result = phases.run(new PhasePlan(name, Grant.AWS_IDENTITY, clients, stsLatency, options.warmup(),
                options.duration()), signedRequests, signedRequests::signedByWorkers);
        results.add(result);
        return result;
    }
}
