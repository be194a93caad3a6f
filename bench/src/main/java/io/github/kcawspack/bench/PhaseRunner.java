package io.github.kcawspack.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs phases against the bench server and takes the readings around their measured windows: CPU
 * of Keycloak, of this JVM and of the rest of the machine; connections the fake STS accepted;
 * Keycloak's live objects after GC once a phase's load has stopped. With a JFR directory, Keycloak
 * is recorded during every measured window.
 */
final class PhaseRunner {

    /** {@code concurrency} clients sending {@code grant} requests from {@code source} back to back, with this STS latency. */
    record Phase(String name, String grant, int concurrency, long stsLatencyMs, Load.Source source) {
        long signedByWorkers() {
            return source instanceof RequestPool pool ? pool.signedByWorkers() : 0;
        }
    }

    /** Phases compared run by run, {@code byRun.get(phase).get(run)}, and each phase over all runs, in their order. */
    record Comparison(List<List<PhaseResult>> byRun, List<PhaseResult> overall) {
        int runs() {
            return byRun.get(0).size();
        }
    }

    /**
     * @param lastJitCores    the JIT compiler's CPU in the last round
     * @param quiet           whether the compiler went quiet, rather than the time running out
     * @param tokensPerSecond each phase's pace in the last round, by name: sizes the pools of requests signed ahead
     */
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

    private final BenchServer server;
    private final Load load;
    private final Duration warmup;
    private final Duration duration;
    private final Path jfrDirectory;
    private long stsConnectionsSoFar;
    private long stsRequestsSoFar;

    /** @param jfrDirectory where to write a recording of each measured window, or null for none */
    PhaseRunner(BenchServer server, BenchOptions options, Path jfrDirectory) {
        this.server = server;
        this.load = server.load();
        this.warmup = Duration.ofSeconds(options.warmupSeconds());
        this.duration = Duration.ofSeconds(options.durationSeconds());
        this.jfrDirectory = jfrDirectory;
    }

    /** Every connection the fake STS accepted so far. */
    long stsConnectionsSoFar() {
        return stsConnectionsSoFar;
    }

    /** Every request the fake STS received so far: with the connections, how well they were reused. */
    long stsRequestsSoFar() {
        return stsRequestsSoFar;
    }

    /** Runs {@code work} (load), counting the STS connections it makes towards the run's total. */
    <T> T countingStsConnections(long stsLatencyMs, Supplier<T> work) {
        server.sts().setLatency(Duration.ofMillis(stsLatencyMs)).reset();
        T result = work.get();
        stsConnectionsSoFar += server.sts().connectionCount();
        stsRequestsSoFar += server.sts().requestCount();
        return result;
    }

    /**
     * Warms Keycloak up by rehearsing the run: every phase's load in turn, {@link #REHEARSAL} each,
     * round after round, until Keycloak's JIT compiler is nearly idle over a whole round
     * (docs/benchmark.md says why): rehearsing each phase compiles what it will run, and the
     * compiler's own CPU says when it is done, where a fixed time long enough for every machine
     * would waste minutes.
     */
    WarmUp warmUp(List<Phase> rehearsed, Duration atLeast, Duration atMost) {
        System.out.printf("  warm-up: each phase's load for %d s in turn, until Keycloak's JIT compiler uses less than"
                + " %.2f cores over a round (at least %d s, at most %d s)%n", REHEARSAL.toSeconds(), QUIET_JIT_CORES,
                atLeast.toSeconds(), atMost.toSeconds());
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
            if ((quiet && seconds >= atLeast.toSeconds()) || seconds >= atMost.toSeconds()) {
                server.sts().setLatency(Duration.ZERO); // the last rehearsal may have been the slow-STS one
                return new WarmUp(seconds, round, cpu.keycloakJitCores(), quiet, errorKinds, pace);
            }
        }
    }

    PhaseResult run(Phase phase) {
        announce(phase, " ... ");
        PhaseResult result = measure(phase, 0);
        report(result);
        return result;
    }

    /**
     * Compares phases in {@code runs} runs, each run one stretch of each (warm-up and measured
     * time), their order reversing from run to run: A B, B A, A B, ... Taking turns exposes the
     * phases to the same drift (the JIT, other processes), and a target taken as the median of the
     * runs' ratios is not moved by one disturbed run.
     */
    Comparison compare(List<Phase> phases, int runs) {
        for (int i = 0; i < phases.size(); i++) {
            announce(phases.get(i), i < phases.size() - 1 ? String.format(", and%n") : String.format(", in %d runs taking turns%n", runs));
        }
        List<List<PhaseResult>> byRun = phases.stream().map(phase -> (List<PhaseResult>) new ArrayList<PhaseResult>()).toList();
        List<Integer> turns = turns(phases.size(), runs);
        for (int turn = 0; turn < turns.size(); turn++) {
            int run = turn / phases.size();
            byRun.get(turns.get(turn)).add(measure(phases.get(turns.get(turn)), run + 1));
            if (turn % phases.size() == phases.size() - 1) {
                List<PhaseResult> thisRun = byRun.stream().map(results -> results.get(run)).toList();
                System.out.printf("    run %d: %s tokens/s, %s ms Keycloak CPU per token%n", run + 1,
                        String.join(" / ", thisRun.stream().map(r -> String.format("%.0f", r.tokensPerSecond())).toList()),
                        String.join(" / ", thisRun.stream().map(r -> String.format("%.2f", r.keycloakCpuMsPerToken())).toList()));
            }
        }
        long heap = server.liveObjects().totalBytes();
        List<PhaseResult> overall = byRun.stream().map(results -> PhaseResult.combine(results, heap)).toList();
        overall.forEach(result -> {
            System.out.printf("  %-36s all runs: ", result.name());
            report(result);
        });
        return new Comparison(byRun, overall);
    }

    /** Which phase runs in each turn: A B, then B A, round after round (A B B A A B for two phases, three rounds). */
    static List<Integer> turns(int phases, int rounds) {
        List<Integer> order = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < phases; turn++) {
                order.add(round % 2 == 0 ? turn : phases - 1 - turn);
            }
        }
        return order;
    }

    /**
     * One stretch of {@code phase}'s load, its JFR recording named after the {@code run}; run 0 is
     * a phase that runs once, whose live heap is weighed after it (a comparison's, after all runs).
     */
    private PhaseResult measure(Phase phase, int run) {
        String recording = "bench-" + phase.name().replaceAll("[^A-Za-z0-9]+", "-") + (run == 0 ? "" : "--run-" + run);
        long signedBefore = phase.signedByWorkers();
        Cpu[] window = new Cpu[2];
        Load.Tally tally = countingStsConnections(phase.stsLatencyMs(), () -> load.run(phase.concurrency(), warmup, duration,
                phase.source(), () -> {
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
        return PhaseResult.of(phase, tally, window[1].since(window[0]), duration.toNanos() / 1e9, server.sts().connectionCount(),
                server.sts().peakInFlight(), phase.signedByWorkers() - signedBefore,
                run == 0 ? server.liveObjects().totalBytes() : -1);
    }

    private void announce(Phase phase, String how) {
        System.out.printf("  %-36s %3d clients, STS latency %3d ms: %ds warm-up, %ds measured%s", phase.name(),
                phase.concurrency(), phase.stsLatencyMs(), warmup.toSeconds(), duration.toSeconds(), how);
        System.out.flush();
    }

    private static void report(PhaseResult result) {
        System.out.printf("%.0f tokens/s, p99 %.0f ms, %d errors%n", result.tokensPerSecond(), result.p99Ms(), result.errors());
    }
}
