package io.github.kcawspack.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The default benchmark, on one server: a warm-up rehearsing every phase, the replay store's
 * footprint, password and refresh_token, aws_identity with many clients without and with STS
 * latency, then client_credentials and aws_identity. The targets of issue 6 are judged from these
 * figures.
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
        this.signedRequests = new SignedRequestPool(server.sts(), server.realmUrl(), options.principals());
    }

    Results.Throughput run() {
        TokenEndpoint endpoint = server.tokenEndpoint();
        int clients = options.concurrency();
        int manyClients = options.latencyConcurrency();
        signedRequests.logInEachOnce(endpoint);
        PhaseRunner.Phase clientCredentials = PhaseRunner.Phase.of(
                plan("client_credentials", Grant.CLIENT_CREDENTIALS, clients, Duration.ZERO),
                DemoRealm.clientCredentials());
        PhaseRunner.Phase awsIdentity = awsPhase(plan("aws_identity", Grant.AWS_IDENTITY, clients, Duration.ZERO));
        PhaseRunner.Phase password = PhaseRunner.Phase.of(plan("password", Grant.PASSWORD, clients, Duration.ZERO),
                DemoRealm.password());
        PhaseRunner.Phase refreshToken = PhaseRunner.Phase.of(
                plan("refresh_token", Grant.REFRESH_TOKEN, clients, Duration.ZERO),
                DemoRealm.refreshToken(endpoint, clients));
        PhaseRunner.Phase awsManyClients = awsPhase(
                plan("aws_identity many clients", Grant.AWS_IDENTITY, manyClients, Duration.ZERO));
        PhaseRunner.Phase awsSlowSts = awsPhase(plan("aws_identity many clients, slow STS", Grant.AWS_IDENTITY,
                manyClients, options.stsLatency()));

        ServerWarmUp.Result warmUp;
        try (AutoCloseable refill = signedRequests.keepFilled(5_000)) {
            warmUp = new ServerWarmUp(server, phases).run(List.of(clientCredentials, awsIdentity, password, refreshToken,
                    awsManyClients, awsSlowSts), options.serverWarmup(), options.serverWarmupMax());
        } catch (Exception e) {
            throw new IllegalStateException("warm-up failed", e);
        }
        List<PhaseResult> results = new ArrayList<>();

        // First, while the heap has nothing of the phases yet: the many-client phases' extra
        // Keycloak worker threads, retired a minute later, would move it while the replay store
        // is being weighed.
        ReplayStoreFootprint.Result replay = new ReplayStoreFootprint(server, phases, signedRequests, options)
                .measure();
        results.add(phases.run(password));
        results.add(phases.run(refreshToken));
        signAheadFor(warmUp.awsTokensPerSecond(), manyClients);
        List<PhaseResult> latency = phases.runInterleaved(List.of(awsManyClients, awsSlowSts), options.rounds());
        results.addAll(latency);
        server.sts().setLatency(Duration.ZERO);
        // Last, on the warmest server: on a busy 2-core machine Keycloak's JIT compiler was still
        // at work minutes into the run, and aws_identity's larger code path pays more for that.
        signAheadFor(warmUp.awsTokensPerSecond(), clients);
        List<PhaseResult> grants = phases.runInterleaved(List.of(clientCredentials, awsIdentity), options.rounds());
        results.addAll(0, grants);

        Targets targets = Targets.judge(grants.get(0), grants.get(1), latency.get(0), latency.get(1), results,
                warmUp.errors(), replay, phases.stsConnectionsSoFar(), phases.stsRequestsSoFar());
        return new Results.Throughput(warmUp, results, replay, targets, phases.stsConnectionsSoFar(),
                phases.stsRequestsSoFar());
    }

    private PhasePlan plan(String name, Grant grant, int clients, Duration stsLatency) {
        return new PhasePlan(name, grant, clients, stsLatency, options.warmup(), options.duration());
    }

    private PhaseRunner.Phase awsPhase(PhasePlan plan) {
        return new PhaseRunner.Phase(plan, signedRequests, signedRequests::signedByWorkers);
    }

    /**
     * Signs enough requests for the next two aws_identity phases before they start, from the
     * pace aws_identity kept in the warm-up's rehearsals, with room to spare: a worker that finds
     * the pool empty signs during load, which the phase then reports.
     */
    private void signAheadFor(double tokensPerSecond, int clients) {
        double seconds = 2 * options.warmup().plus(options.duration()).toSeconds();
        double perSecond = Math.max(100, tokensPerSecond);
        signedRequests.fillTo((int) Math.min(400_000, Math.ceil(perSecond * 2 * seconds) + 20L * clients));
    }
}
