package io.github.kcawspack.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The default benchmark on one server, in the order docs/benchmark.md gives ("What a run does"),
 * and the targets judged from its figures.
 */
final class ThroughputRun {

    /** {@code concurrency} clients sending {@code grant} requests from {@code source} back to back, with this STS latency. */
    record Phase(String name, String grant, int concurrency, long stsLatencyMs, Load.Source source) {
    }

    /** Phases compared run by run, {@code byRun.get(phase).get(run)}, and each phase over all runs, in their order. */
    record Comparison(List<List<PhaseResult>> byRun, List<PhaseResult> overall) {
        int runs() {
            return byRun.get(0).size();
        }
    }

    /** {@code quiet}: the compiler went quiet before the time ran out; {@code tokensPerSecond}: each phase's pace in the last round. */
    record WarmUp(double seconds, int rounds, double lastJitCores, boolean quiet, Map<String, Long> errorKinds,
            Map<String, Double> tokensPerSecond) {
        long errors() {
            return errorKinds.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Load per phase in each warm-up round. */
    static final Duration REHEARSAL = Duration.ofSeconds(4);
    /** Compiler CPU over a warm-up round, in cores, below which the server counts as warm. */
    static final double QUIET_JIT_CORES = 0.05;

    /** What the default run measured and judged; {@code phases} holds each phase over all its runs. */
    record Result(WarmUp warmUp, List<PhaseResult> phases, Comparison grants, Comparison latency, Comparison jwtBearer,
            ReplayStore replayStore, Targets targets, long stsConnections, long stsRequests) {
    }

    /** What the replay guard costs in Keycloak's heap: docs/benchmark.md, target 5. */
    record ReplayStore(int requests, List<Long> liveBytes, double controlBytesPerRequest,
            double awsIdentityBytesPerRequest, double bytesPerOutstandingRequest,
            List<BenchServer.ClassHistogram.Delta> grownClasses, List<BenchServer.ClassHistogram.Delta> shrunkClasses,
            long usualLifespanSeconds, long longestLifespanSeconds, long errors, Map<String, Long> errorKinds) {

        double boundBytesAt(double rate) {
            return bytesPerOutstandingRequest * rate * longestLifespanSeconds;
        }
    }

    private final BenchOptions options;
    private final BenchServer server;
    private final Load load;
    /** Where a recording of each measured window goes, or null for none. */
    private final Path jfrDirectory;
    /** Connections the fake STS accepted and requests it received over the run: how well they were reused. */
    private long stsConnections;
    private long stsRequests;

    ThroughputRun(BenchOptions options, BenchServer server, Path jfrDirectory) {
        this.options = options;
        this.server = server;
        this.load = server.load();
        this.jfrDirectory = jfrDirectory;
    }

    Result run() throws Exception {
        int clients = options.concurrency();
        int manyClients = options.latencyConcurrency();
        RequestPool signed = RequestPool.awsIdentity(server, options.principals()).logInEachOnce(load);
        RequestPool rs256 = RequestPool.jwtBearer(server, options.principals(), false).logInEachOnce(load);
        RequestPool es384 = RequestPool.jwtBearer(server, options.principals(), true).logInEachOnce(load);
        String aws = BenchServer.AWS_IDENTITY;
        String jwt = BenchServer.JWT_BEARER;
        var clientCredentials = new Phase("client_credentials", "client_credentials", clients, 0, BenchServer.clientCredentials());
        var awsIdentity = new Phase(aws, aws, clients, 0, signed);
        var password = new Phase("password", "password", clients, 0, BenchServer.password());
        var refreshToken = new Phase("refresh_token", "refresh_token", clients, 0, server.refreshToken(clients));
        var awsManyClients = new Phase("aws_identity many clients", aws, manyClients, 0, signed);
        var awsSlowSts = new Phase("aws_identity many clients, slow STS", aws, manyClients, options.stsLatencyMs(), signed);
        // client_credentials again, under its own name: its runs take turns with the jwt-bearer phases
        var clientCredentialsBesideJwt = new Phase("client_credentials beside jwt-bearer", "client_credentials",
                clients, 0, BenchServer.clientCredentials());
        var jwtRs256 = new Phase("jwt-bearer RS256", jwt, clients, 0, rs256);
        var jwtEs384 = new Phase("jwt-bearer ES384", jwt, clients, 0, es384);

        WarmUp warmUp;
        try (AutoCloseable refillSigned = signed.keepFilled(5_000); AutoCloseable refillRs256 = rs256.keepFilled(5_000);
                AutoCloseable refillEs384 = es384.keepFilled(5_000)) {
            // The many-client aws_identity phases last in a round, so that the replay store's
            // aws_identity step follows them within the fake STS's 30 s idle timeout: otherwise
            // whether it opens its connections anew (target 4) depends on how long the steps between
            // take. The 16-client one early, so that the first 64-client burst meets code compiled
            // for it: right after it, a cold node refused some of that burst (503, 2 of 5 runs).
            warmUp = warmUp(List.of(clientCredentials, awsIdentity, password, refreshToken, jwtRs256, jwtEs384, awsManyClients,
                    awsSlowSts));
        }
        // First, while the heap has nothing of the phases yet: the many-client phases' extra
        // Keycloak worker threads, retired a minute later, would move it while the replay store
        // is being weighed.
        ReplayStore replay = measureReplayStore(signed);
        Map<String, Double> pace = warmUp.tokensPerSecond();
        Comparison passwords = compare(List.of(password), 1, pace);
        Comparison refreshes = compare(List.of(refreshToken), 1, pace);
        Comparison latency = compare(List.of(awsManyClients, awsSlowSts), options.runs(), pace);
        Comparison jwtBearer = compare(List.of(clientCredentialsBesideJwt, jwtRs256, jwtEs384), options.runs(), pace);
        // Last, on the warmest server: on a busy 2-core machine Keycloak's JIT compiler was still
        // at work minutes into the run, and aws_identity's larger code path pays more for that.
        Comparison grants = compare(List.of(clientCredentials, awsIdentity), options.runs(), pace);
        // the tables' order: the grants first, then in the order they ran
        List<PhaseResult> results = Stream.of(grants, passwords, refreshes, latency, jwtBearer)
                .flatMap(comparison -> comparison.overall().stream()).toList();

        Targets targets = Targets.judge(grants, latency, jwtBearer, results, warmUp.errors(), replay,
                stsConnections, stsRequests, options.serverSettings());
        return new Result(warmUp, results, grants, latency, jwtBearer, replay, targets, stsConnections,
                stsRequests);
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
        List<Load.Tally> tallies = new ArrayList<>();
        List<BenchServer.ClassHistogram> live = new ArrayList<>(List.of(server.liveObjects()));
        for (Load.Source step : List.of(BenchServer.clientCredentials(), signedRequests, BenchServer.clientCredentials())) {
            tallies.add(countingStsConnections(0, () -> load.send(n, clients, step)));
            live.add(server.liveObjects());
        }
        Load.Tally all = Load.Tally.combine(tallies);
        List<Long> bytes = live.stream().map(BenchServer.ClassHistogram::totalBytes).toList();
        double controlPerRequest = ((bytes.get(1) - bytes.get(0)) + (bytes.get(3) - bytes.get(2))) / 2.0 / n;
        double awsPerRequest = (double) (bytes.get(2) - bytes.get(1)) / n;
        long[] lifespans = BenchServer.replayLifespans(options.projectRoot());
        System.out.printf("%.0f bytes per outstanding request%n", awsPerRequest - controlPerRequest);
        return new ReplayStore(n, bytes, controlPerRequest, awsPerRequest, awsPerRequest - controlPerRequest,
                live.get(2).changesSince(live.get(1), true, 12), live.get(2).changesSince(live.get(1), false, 8), lifespans[0],
                lifespans[1], all.errors(), all.errorKinds());
    }

    /**
     * Before a run, signs ahead what its phases will draw from their pools, so that no worker signs
     * in a measured window (a jwt-bearer signature takes the load generator 1.4 to 1.7 ms of
     * a core Keycloak needs): the phase's pace in the run before, or 3 x its warm-up pace before the
     * first (the warm-up runs with the JIT compiler busy; the measured runs of 2026-12-03 went 1.5 to
     * 2.9 x as fast), over its warm-up and measured time, and half again. Until then the pools were
     * filled once per comparison at 1.5 x the warm-up's pace, and workers signed in most runs.
     */
    private void signAhead(List<Phase> phases, List<List<PhaseResult>> byRun, Map<String, Double> warmUpPace) {
        Map<RequestPool, Integer> needed = new LinkedHashMap<>();
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).source() instanceof RequestPool pool) {
                List<PhaseResult> done = byRun.get(i);
                double pace = done.isEmpty() ? 3 * warmUpPace.getOrDefault(phases.get(i).name(), 300.0)
                        : done.get(done.size() - 1).tokensPerSecond();
                needed.merge(pool, (int) Math.ceil(1.5 * Math.max(100, pace) * (options.warmupSeconds()
                        + options.durationSeconds())) + 20 * phases.get(i).concurrency(), Integer::sum);
            }
        }
        // bounded: the bench's heap is 2 GB (bin/bench), a signed request 1 to 2 KB
        needed.forEach((pool, count) -> pool.fillTo(Math.min(400_000, count)));
    }

    /** Runs {@code work} (load), counting the STS connections it makes towards the run's total. */
    private <T> T countingStsConnections(long stsLatencyMs, Supplier<T> work) {
        server.sts().setLatency(Duration.ofMillis(stsLatencyMs)).reset();
        T result = work.get();
        stsConnections += server.sts().connectionCount();
        stsRequests += server.sts().requestCount();
        return result;
    }

    /**
     * Every phase's load in turn, round after round, until Keycloak's JIT compiler is nearly idle
     * over a round: it compiles what the run will use, and a fixed time long enough for every
     * machine would waste minutes.
     */
    private WarmUp warmUp(List<Phase> rehearsed) {
        long atLeast = options.serverWarmupSeconds();
        long atMost = options.serverWarmupMaxSeconds();
        System.out.printf("  warm-up: each phase's load for %d s in turn, until Keycloak's JIT compiler uses less than"
                + " %.2f cores over a round (at least %d s, at most %d s)%n", REHEARSAL.toSeconds(), QUIET_JIT_CORES,
                atLeast, atMost);
        Map<String, Long> errorKinds = new TreeMap<>();
        long start = System.nanoTime();
        for (int round = 1; ; round++) {
            Cpu before = Cpu.now(server.process());
            Map<String, Double> pace = new LinkedHashMap<>();
            for (Phase phase : rehearsed) {
                Load.Tally tally = countingStsConnections(phase.stsLatencyMs(), () -> load.run(phase.concurrency(),
                        Duration.ZERO, REHEARSAL, phase.source(), () -> { }, () -> { }));
                tally.errorKinds().forEach((kind, count) -> errorKinds.merge(phase.name() + ": " + kind, count, Long::sum));
                pace.put(phase.name(), tally.tokens() / (double) REHEARSAL.toSeconds());
            }
            Cpu cpu = Cpu.now(server.process()).since(before);
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean quiet = cpu.keycloakJitCores() < QUIET_JIT_CORES;
            System.out.printf("    %4.0f s: JIT compiler %.2f cores, Keycloak %.2f cores, others %.2f cores%n",
                    seconds, cpu.keycloakJitCores(), cpu.keycloakCores(), cpu.othersCores());
            if ((quiet && seconds >= atLeast) || seconds >= atMost) {
                server.sts().setLatency(Duration.ZERO); // the last rehearsal may have been the slow-STS one
                return new WarmUp(seconds, round, cpu.keycloakJitCores(), quiet, errorKinds, pace);
            }
        }
    }

    /**
     * {@code runs} runs of one stretch of each phase, the order reversing from run to run (A B, B
     * A, ...), each stretch cut into slices that take turns the same way (with five, a run of two
     * phases is A B B A A B B A A B): on a virtual machine the cores' speed drifts by a tenth and
     * more over tens of seconds, and phases that alternate every few seconds share that drift where
     * stretches half a minute apart do not; docs/benchmark.md says more.
     */
    private Comparison compare(List<Phase> phases, int runs, Map<String, Double> warmUpPace) {
        int slices = phases.size() > 1 ? options.slices() : 1;
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            System.out.printf("  %-36s %3d clients, STS latency %3d ms: %ds warm-up, %ds measured%s%n", phase.name(),
                    phase.concurrency(), phase.stsLatencyMs(), options.warmupSeconds(), options.durationSeconds(),
                    i < phases.size() - 1 ? ", and" : runs > 1 ? ", in " + runs + " runs of " + slices
                            + " slices taking turns" : "");
        }
        List<List<PhaseResult>> byRun = Stream.<List<PhaseResult>>generate(ArrayList::new).limit(phases.size()).toList();
        int turnsPerRun = phases.size() * slices;
        List<Integer> turns = turns(phases.size(), runs * slices);
        for (int run = 0; run < runs; run++) {
            signAhead(phases, byRun, warmUpPace);
            List<List<PhaseResult>> sliced = Stream.<List<PhaseResult>>generate(ArrayList::new).limit(phases.size()).toList();
            for (int turn = run * turnsPerRun; turn < (run + 1) * turnsPerRun; turn++) {
                sliced.get(turns.get(turn)).add(measure(phases.get(turns.get(turn)), run + 1, turn / phases.size() % slices + 1, slices));
            }
            for (int phase = 0; phase < phases.size(); phase++) {
                byRun.get(phase).add(PhaseResult.combine(sliced.get(phase), -1));
            }
            if (runs > 1) {
                List<PhaseResult> thisRun = byRun.stream().map(results -> results.get(results.size() - 1)).toList();
                System.out.printf("    run %d: %s tokens/s, %s ms Keycloak CPU per token%n", run + 1,
                        String.join(" / ", thisRun.stream().map(r -> String.format("%.0f", r.tokensPerSecond())).toList()),
                        String.join(" / ", thisRun.stream().map(r -> String.format("%.2f", r.keycloakCpuMsPerToken())).toList()));
            }
        }
        long heap = server.liveObjects().totalBytes();
        List<PhaseResult> overall = byRun.stream().map(results -> PhaseResult.combine(results, heap)).toList();
        overall.forEach(result -> System.out.printf("  %-36s%s %.0f tokens/s, p99 %.0f ms, %d errors%n", result.name(),
                runs > 1 ? " all runs:" : "", result.tokensPerSecond(), result.p99Ms(), result.errors()));
        return new Comparison(byRun, overall);
    }

    /** Which phase runs in each turn: A B, then B A, round after round (A B B A A B for two phases, three rounds). */
    static List<Integer> turns(int phases, int rounds) {
        return IntStream.range(0, phases * rounds).map(i -> i / phases % 2 == 0 ? i % phases : phases - 1 - i % phases)
                .boxed().toList();
    }

    /**
     * One of the {@code slices} slices of {@code phase}'s stretch in a run; JFR recordings of one
     * phase share a prefix, so that its runs can be read together.
     */
    private PhaseResult measure(Phase phase, int run, int slice, int slices) {
        String recording = "bench-" + phase.name().replaceAll("[^A-Za-z0-9]+", "-") + "--run-" + run + "-" + slice;
        long signedBefore = signedByWorkers(phase);
        Duration measured = Duration.ofSeconds(options.durationSeconds()).dividedBy(slices);
        Cpu[] window = new Cpu[2];
        Load.Tally tally = countingStsConnections(phase.stsLatencyMs(), () -> load.run(phase.concurrency(),
                Duration.ofSeconds(options.warmupSeconds()).dividedBy(slices), measured, phase.source(), () -> {
                    window[0] = Cpu.now(server.process());
                    if (jfrDirectory != null) {
                        server.jcmd("JFR.start", "name=" + recording, "settings=profile");
                    }
                }, () -> {
                    window[1] = Cpu.now(server.process());
                    if (jfrDirectory != null) {
                        server.jcmd("JFR.stop", "name=" + recording, "filename=" + jfrDirectory.resolve(recording + ".jfr"));
                    }
                }));
        return PhaseResult.of(phase, tally, window[1].since(window[0]), measured.toNanos() / 1e9, server.sts().connectionCount(),
                server.sts().peakInFlight(), signedByWorkers(phase) - signedBefore, -1);
    }

    private static long signedByWorkers(Phase phase) {
        return phase.source() instanceof RequestPool pool ? pool.signedByWorkers() : 0;
    }
}
