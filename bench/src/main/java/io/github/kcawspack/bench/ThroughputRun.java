package io.github.kcawspack.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The default benchmark, on one server: a warm-up rehearsing every phase, the replay store's
 * footprint, password and refresh_token, aws_identity with many clients without and with STS
 * latency compared run by run, client_credentials and jwt-bearer (RS256, ES384) compared run by
 * run, then client_credentials and aws_identity compared run by run. The targets are judged from
 * these figures.
 */
final class ThroughputRun {

    /** What the default run measured and judged; {@code phases} holds each phase over all its runs. */
    record Result(PhaseRunner.WarmUp warmUp, List<PhaseResult> phases, PhaseRunner.Comparison grants,
            PhaseRunner.Comparison latency, PhaseRunner.Comparison jwtBearer, ReplayStore replayStore,
            Targets targets, long stsConnections, long stsRequests) {
    }

    /**
     * What the replay guard costs in Keycloak's heap: every accepted aws_identity request leaves one
     * entry in Keycloak's single-use object store until it expires, which no entry does within a
     * run. Live objects after a full GC are weighed around three steps of N requests each:
     * client_credentials (the control: what a token request leaves behind anyway, e.g. caches
     * settling), aws_identity, client_credentials again. The aws_identity step's growth minus the
     * control steps' mean growth, per request, is the replay entry; the classes that grew during
     * the aws_identity step show what it is made of.
     *
     * @param liveBytes     all live objects after a full GC, before the first step and after each of the three
     * @param shrunkClasses what else changed in the heap during the aws_identity step
     */
    record ReplayStore(int requests, List<Long> liveBytes, double controlBytesPerRequest,
            double awsIdentityBytesPerRequest, double bytesPerOutstandingRequest,
            List<BenchServer.ClassHistogram.Delta> grownClasses, List<BenchServer.ClassHistogram.Delta> shrunkClasses,
            long usualLifespanSeconds, long longestLifespanSeconds, long errors, Map<String, Long> errorKinds) {

        /** The most the store holds at {@code rate} accepted requests per second: each kept for the longest lifespan. */
        double boundBytesAt(double rate) {
            return bytesPerOutstandingRequest * rate * longestLifespanSeconds;
        }
    }

    private final BenchOptions options;
    private final BenchServer server;
    private final PhaseRunner phases;

    ThroughputRun(BenchOptions options, BenchServer server, Path jfrDirectory) {
        this.options = options;
        this.server = server;
        this.phases = new PhaseRunner(server, options, jfrDirectory);
    }

    Result run() throws Exception {
        Load load = server.load();
        int clients = options.concurrency();
        int manyClients = options.latencyConcurrency();
        RequestPool signed = RequestPool.awsIdentity(server.sts(), server.realmUrl(), options.principals()).logInEachOnce(load);
        RequestPool rs256 = RequestPool.jwtBearer(server.jwtIssuer(), server.realmUrl(), options.principals(), false)
                .logInEachOnce(load);
        RequestPool es384 = RequestPool.jwtBearer(server.jwtIssuer(), server.realmUrl(), options.principals(), true)
                .logInEachOnce(load);
        String aws = BenchServer.AWS_IDENTITY;
        String jwt = BenchServer.JWT_BEARER;
        var clientCredentials = new PhaseRunner.Phase("client_credentials", "client_credentials", clients, 0,
                BenchServer.clientCredentials());
        var awsIdentity = new PhaseRunner.Phase(aws, aws, clients, 0, signed);
        var password = new PhaseRunner.Phase("password", "password", clients, 0, BenchServer.password());
        var refreshToken = new PhaseRunner.Phase("refresh_token", "refresh_token", clients, 0, server.refreshToken(clients));
        var awsManyClients = new PhaseRunner.Phase("aws_identity many clients", aws, manyClients, 0, signed);
        var awsSlowSts = new PhaseRunner.Phase("aws_identity many clients, slow STS", aws, manyClients, options.stsLatencyMs(),
                signed);
        // client_credentials again, under its own name: its runs take turns with the jwt-bearer phases
        var clientCredentialsBesideJwt = new PhaseRunner.Phase("client_credentials beside jwt-bearer", "client_credentials",
                clients, 0, BenchServer.clientCredentials());
        var jwtRs256 = new PhaseRunner.Phase("jwt-bearer RS256", jwt, clients, 0, rs256);
        var jwtEs384 = new PhaseRunner.Phase("jwt-bearer ES384", jwt, clients, 0, es384);

        PhaseRunner.WarmUp warmUp;
        try (AutoCloseable refillSigned = signed.keepFilled(5_000); AutoCloseable refillRs256 = rs256.keepFilled(5_000);
                AutoCloseable refillEs384 = es384.keepFilled(5_000)) {
            warmUp = phases.warmUp(List.of(clientCredentials, awsIdentity, password, refreshToken, awsManyClients,
                    awsSlowSts, jwtRs256, jwtEs384), Duration.ofSeconds(options.serverWarmupSeconds()),
                    Duration.ofSeconds(options.serverWarmupMaxSeconds()));
        }
        // First, while the heap has nothing of the phases yet: the many-client phases' extra
        // Keycloak worker threads, retired a minute later, would move it while the replay store
        // is being weighed.
        ReplayStore replay = measureReplayStore(signed);
        List<PhaseResult> results = new ArrayList<>(List.of(phases.run(password), phases.run(refreshToken)));
        double awsPace = warmUp.tokensPerSecond().entrySet().stream().filter(e -> e.getKey().startsWith(aws))
                .mapToDouble(Map.Entry::getValue).max().orElse(0);
        signAhead(signed, awsPace, manyClients, 2);
        PhaseRunner.Comparison latency = phases.compare(List.of(awsManyClients, awsSlowSts), options.runs());
        signAhead(rs256, warmUp.tokensPerSecond().get(jwtRs256.name()), clients, 1);
        signAhead(es384, warmUp.tokensPerSecond().get(jwtEs384.name()), clients, 1);
        PhaseRunner.Comparison jwtBearer = phases.compare(List.of(clientCredentialsBesideJwt, jwtRs256, jwtEs384), options.runs());
        // Last, on the warmest server: on a busy 2-core machine Keycloak's JIT compiler was still
        // at work minutes into the run, and aws_identity's larger code path pays more for that.
        signAhead(signed, awsPace, clients, 1);
        PhaseRunner.Comparison grants = phases.compare(List.of(clientCredentials, awsIdentity), options.runs());
        results.addAll(0, grants.overall());
        results.addAll(latency.overall());
        results.addAll(jwtBearer.overall());

        Targets targets = Targets.judge(grants, latency, jwtBearer, results, warmUp.errors(), replay,
                phases.stsConnectionsSoFar(), phases.stsRequestsSoFar(), options.maxConcurrentCalls());
        return new Result(warmUp, results, grants, latency, jwtBearer, replay, targets, phases.stsConnectionsSoFar(),
                phases.stsRequestsSoFar());
    }

    private ReplayStore measureReplayStore(RequestPool signedRequests) throws IOException {
        int n = options.replayRequests();
        // As many clients as the many-client phases the warm-up rehearsed: Keycloak's worker pool,
        // grown to its maximum there, stays busy and whole. With fewer, its idle threads retire
        // during the measurement and their thread-local buffers (Netty's, among others) leave the
        // heap: megabytes, more than the replay entries weigh.
        int clients = options.latencyConcurrency();
        signedRequests.fillTo(n);
        System.out.printf("  replay store: live objects after GC around %d client_credentials, %d aws_identity and %d"
                + " client_credentials requests ... ", n, n, n);
        System.out.flush();
        Load load = server.load();
        Map<String, Long> errorKinds = new TreeMap<>();
        List<BenchServer.ClassHistogram> live = new ArrayList<>(List.of(server.liveObjects()));
        for (Load.Source step : List.of(BenchServer.clientCredentials(), signedRequests, BenchServer.clientCredentials())) {
            phases.countingStsConnections(0, () -> load.send(n, clients, step)).errorKinds()
                    .forEach((kind, count) -> errorKinds.merge(kind, count, Long::sum));
            live.add(server.liveObjects());
        }
        List<Long> bytes = live.stream().map(BenchServer.ClassHistogram::totalBytes).toList();
        double controlPerRequest = ((bytes.get(1) - bytes.get(0)) + (bytes.get(3) - bytes.get(2))) / 2.0 / n;
        double awsPerRequest = (double) (bytes.get(2) - bytes.get(1)) / n;
        long[] lifespans = BenchServer.replayLifespans(options.projectRoot());
        System.out.printf("%.0f bytes per outstanding request%n", awsPerRequest - controlPerRequest);
        return new ReplayStore(n, bytes, controlPerRequest, awsPerRequest, awsPerRequest - controlPerRequest,
                live.get(2).changesSince(live.get(1), true, 12), live.get(2).changesSince(live.get(1), false, 8), lifespans[0],
                lifespans[1], errorKinds.values().stream().mapToLong(Long::longValue).sum(), errorKinds);
    }

    /**
     * Signs enough requests for a comparison's {@code phases} phases drawing on {@code pool} before
     * it starts, from the pace they kept in the warm-up's rehearsals, with room to spare: a worker
     * that finds the pool empty signs during load, which the phase then reports.
     */
    private void signAhead(RequestPool pool, double tokensPerSecond, int clients, int phases) {
        double seconds = phases * options.runs() * (options.warmupSeconds() + options.durationSeconds());
        pool.fillTo((int) Math.min(400_000, Math.ceil(Math.max(100, tokensPerSecond) * 1.5 * seconds) + 20L * clients));
    }
}
