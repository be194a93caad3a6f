package io.github.kcawspack.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The default benchmark: the four grants one after the other on the same server, then aws_identity
 * with many clients without and with STS latency, then the replay store's footprint; the targets
 * of issue 6 are judged from these figures.
 */
final class ThroughputRun {

    private final BenchOptions options;
    private final BenchServer server;
    private final PhaseRunner phases;
    private final SignedRequestPool signedRequests;

    ThroughputRun(BenchOptions options, BenchServer server, Path jfrDirectory) {
        this.options = options;
        this.server = server;
        this.phases = new PhaseRunner(server, jfrDirectory);
        this.signedRequests = new SignedRequestPool(new AwsWorkloads(server.sts(), server.realmUrl(), options.principals()));
    }

    ThroughputReport run() {
        TokenEndpoint endpoint = server.tokenEndpoint();
        int clients = options.concurrency();
        int manyClients = options.latencyConcurrency();
        List<PhaseResult> results = new ArrayList<>();

        PhaseResult clientCredentials = phase(results, "client_credentials", Grant.CLIENT_CREDENTIALS, clients,
                Duration.ZERO, NativeGrantRequests.clientCredentials());
        PhaseResult awsIdentity = awsPhase(results, "aws_identity", clients, Duration.ZERO,
                clientCredentials.tokensPerSecond());
        phase(results, "password", Grant.PASSWORD, clients, Duration.ZERO, NativeGrantRequests.password());
        phase(results, "refresh_token", Grant.REFRESH_TOKEN, clients, Duration.ZERO,
                NativeGrantRequests.refreshToken(endpoint, clients));
        PhaseResult awsManyClients = awsPhase(results, "aws_identity many clients", manyClients, Duration.ZERO,
                awsIdentity.tokensPerSecond());
        PhaseResult awsWithLatency = awsPhase(results, "aws_identity many clients, slow STS", manyClients,
                options.stsLatency(), awsManyClients.tokensPerSecond());

        server.sts().setLatency(Duration.ZERO);
        ReplayStoreFootprint.Result replay = new ReplayStoreFootprint(server, phases, signedRequests, options)
                .measure(Math.max(clientCredentials.tokensPerSecond(), awsIdentity.tokensPerSecond()));

        Targets targets = Targets.judge(clientCredentials, awsIdentity, awsManyClients, awsWithLatency, results,
                replay, phases.stsConnectionsSoFar());
        return new ThroughputReport(results, replay, targets, phases.stsConnectionsSoFar());
    }

    private PhaseResult phase(List<PhaseResult> results, String name, Grant grant, int clients, Duration stsLatency,
            TokenRequestSource source) {
        PhaseResult result = phases.run(new PhasePlan(name, grant, clients, stsLatency, options.warmup(),
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
        int needed = (int) Math.min(400_000, Math.ceil(expectedTokensPerSecond * 1.5 * seconds) + 20L * clients);
        signedRequests.fillTo(needed);
        PhaseResult result = phases.run(new PhasePlan(name, Grant.AWS_IDENTITY, clients, stsLatency, options.warmup(),
                options.duration()), signedRequests, signedRequests::signedByWorkers);
        results.add(result);
        return result;
    }
}
