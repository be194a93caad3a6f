package io.github.kcawspack.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The default benchmark, on one server: a warm-up rehearsing every phase, the replay store's
 * footprint, password and refresh_token, aws_identity with many clients without and with STS
 * latency compared run by run, then client_credentials and aws_identity compared run by run. The
 * targets are judged from these figures.
 */
final class ThroughputRun {

    /**
     * What the default run measured and judged; {@code phases} holds each phase over all its runs.
     * The warm-up's failures count towards the zero-errors target.
     */
    record Result(PhaseRunner.WarmUp warmUp, List<PhaseResult> phases, PhaseRunner.Comparison grants,
            PhaseRunner.Comparison latency, ReplayStoreFootprint.Result replayStore, Targets targets, long stsConnections,
            long stsRequests) {
    }

    private final BenchOptions options;
    private final BenchServer server;
    private final PhaseRunner phases;
    private final SignedRequestPool signedRequests;

    ThroughputRun(BenchOptions options, BenchServer server, Path jfrDirectory) {
        this.options = options;
        this.server = server;
        this.phases = new PhaseRunner(server, jfrDirectory);
        this.signedRequests = new SignedRequestPool(server.sts(), server.realmUrl(), options.principals());
    }

    Result run() {
        TokenEndpoint endpoint = server.tokenEndpoint();
        int clients = options.concurrency();
        int manyClients = options.latencyConcurrency();
        signedRequests.logInEachOnce(endpoint);
        PhaseRunner.Phase clientCredentials = PhaseRunner.Phase.of(
                plan("client_credentials", Grant.CLIENT_CREDENTIALS, clients, 0), DemoRealm.clientCredentials());
        PhaseRunner.Phase awsIdentity = awsPhase(plan("aws_identity", Grant.AWS_IDENTITY, clients, 0));
        PhaseRunner.Phase password = PhaseRunner.Phase.of(plan("password", Grant.PASSWORD, clients, 0), DemoRealm.password());
        PhaseRunner.Phase refreshToken = PhaseRunner.Phase.of(plan("refresh_token", Grant.REFRESH_TOKEN, clients, 0),
                DemoRealm.refreshToken(endpoint, clients));
        PhaseRunner.Phase awsManyClients = awsPhase(plan("aws_identity many clients", Grant.AWS_IDENTITY, manyClients, 0));
        PhaseRunner.Phase awsSlowSts = awsPhase(plan("aws_identity many clients, slow STS", Grant.AWS_IDENTITY,
                manyClients, options.stsLatencyMs()));

        PhaseRunner.WarmUp warmUp;
        try (AutoCloseable refill = signedRequests.keepFilled(5_000)) {
            warmUp = phases.warmUp(List.of(clientCredentials, awsIdentity, password, refreshToken,
                    awsManyClients, awsSlowSts), Duration.ofSeconds(options.serverWarmupSeconds()),
                    Duration.ofSeconds(options.serverWarmupMaxSeconds()));
        } catch (Exception e) {
            throw new IllegalStateException("warm-up failed", e);
        }
        // First, while the heap has nothing of the phases yet: the many-client phases' extra
        // Keycloak worker threads, retired a minute later, would move it while the replay store
        // is being weighed.
        ReplayStoreFootprint.Result replay = new ReplayStoreFootprint(server, phases, signedRequests, options).measure();
        List<PhaseResult> results = new ArrayList<>(List.of(phases.run(password), phases.run(refreshToken)));
        signAheadFor(warmUp.awsTokensPerSecond(), manyClients, 2);
        PhaseRunner.Comparison latency = phases.compare(awsManyClients, awsSlowSts, options.runs());
        server.sts().setLatency(Duration.ZERO);
        // Last, on the warmest server: on a busy 2-core machine Keycloak's JIT compiler was still
        // at work minutes into the run, and aws_identity's larger code path pays more for that.
        signAheadFor(warmUp.awsTokensPerSecond(), clients, 1);
        PhaseRunner.Comparison grants = phases.compare(clientCredentials, awsIdentity, options.runs());
        results.addAll(0, List.of(grants.first(), grants.second()));
        results.addAll(List.of(latency.first(), latency.second()));

        Targets targets = Targets.judge(grants, latency, results, warmUp.errors(), replay, phases.stsConnectionsSoFar(),
                phases.stsRequestsSoFar(), options.maxConcurrentCalls());
        return new Result(warmUp, results, grants, latency, replay, targets, phases.stsConnectionsSoFar(),
                phases.stsRequestsSoFar());
    }

    private PhaseRunner.Plan plan(String name, Grant grant, int clients, int stsLatencyMs) {
        return new PhaseRunner.Plan(name, grant, clients, Duration.ofMillis(stsLatencyMs), options.warmup(), options.duration());
    }

    private PhaseRunner.Phase awsPhase(PhaseRunner.Plan plan) {
        return new PhaseRunner.Phase(plan, signedRequests, signedRequests::signedByWorkers);
    }

    /**
     * Signs enough requests for a comparison's {@code awsPhases} aws_identity phases before it starts, from
     * the pace aws_identity kept in the warm-up's rehearsals, with room to spare: a worker that
     * finds the pool empty signs during load, which the phase then reports.
     */
    private void signAheadFor(double tokensPerSecond, int clients, int awsPhases) {
        double seconds = awsPhases * options.runs() * (options.warmupSeconds() + options.durationSeconds());
        signedRequests.fillTo((int) Math.min(400_000, Math.ceil(Math.max(100, tokensPerSecond) * 1.5 * seconds) + 20L * clients));
    }
}
