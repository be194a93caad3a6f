package io.github.kcawspack.bench;

import io.github.kcawspack.it.fakests.FakeSts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs phases against the bench server and takes the readings around their measured windows: CPU
 * of Keycloak, of this JVM and of the rest of the machine; connections the fake STS accepted;
 * Keycloak's live objects after GC once a phase's load has stopped. With a JFR directory, Keycloak
 * is recorded during every measured window.
 */
final class PhaseRunner {

    /**
     * One phase: {@code concurrency} clients send {@code grant} requests back to back for {@code
     * warmup} plus {@code duration}; only requests sent and answered within {@code duration} are measured.
     */
    record Plan(String name, Grant grant, int concurrency, Duration stsLatency, Duration warmup, Duration duration) {
    }

    /** A phase to run: what to send, and how many of its requests had to be signed during load. */
    record Phase(Plan plan, TokenEndpoint.Source source, LongSupplier signedByWorkers) {
        static Phase of(Plan plan, TokenEndpoint.Source source) {
            return new Phase(plan, source, () -> 0);
        }

        static Phase of(Plan plan, RequestPool pool) {
            return new Phase(plan, pool, pool::signedByWorkers);
        }
    }

    /** Phases compared run by run, {@code byRun.get(phase).get(run)}, and each phase over all runs, in their order. */
    record Comparison(List<List<PhaseResult>> byRun, List<PhaseResult> overall) {
        int runs() {
            return byRun.get(0).size();
        }
    }

    /**
     * The warm-up.
     *
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
    private final Path jfrDirectory;
    private long stsConnectionsSoFar;
    private long stsRequestsSoFar;

    /** @param jfrDirectory where to write a recording of each measured window, or null for none */
    PhaseRunner(BenchServer server, Path jfrDirectory) {
        this.server = server;
        this.load = new Load(server.tokenEndpoint());
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

    /** Runs load outside a phase, still counting the STS connections it makes towards the run's total. */
    <T> T countingStsConnections(Supplier<T> work) {
        server.sts().reset();
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
                server.sts().setLatency(phase.plan().stsLatency());
                Load.Tally tally = countingStsConnections(() -> load.run(phase.plan().concurrency(), Duration.ZERO,
                        REHEARSAL, phase.source(), () -> { }, () -> { }));
                tally.errorKinds().forEach((kind, count) -> errorKinds.merge(phase.plan().name() + ": " + kind, count, Long::sum));
                pace.put(phase.plan().name(), tally.tokens() / (double) REHEARSAL.toSeconds());
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
        announce(phase.plan(), " ... ");
        PhaseResult result = PhaseResult.of(phase.plan(), stretch(phase, recordingName(phase.plan(), 0)),
                server.liveObjects().totalBytes());
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
            announce(phases.get(i).plan(), i < phases.size() - 1 ? String.format(", and%n")
                    : String.format(", in %d runs taking turns%n", runs));
        }
        List<List<PhaseResult>> byRun = phases.stream().map(phase -> (List<PhaseResult>) new ArrayList<PhaseResult>()).toList();
        List<List<PhaseResult.Stretch>> stretches = phases.stream()
                .map(phase -> (List<PhaseResult.Stretch>) new ArrayList<PhaseResult.Stretch>()).toList();
        List<Integer> turns = turns(phases.size(), runs);
        for (int turn = 0; turn < turns.size(); turn++) {
            int index = turns.get(turn);
            int run = turn / phases.size();
            PhaseResult.Stretch stretch = stretch(phases.get(index), recordingName(phases.get(index).plan(), run + 1));
            stretches.get(index).add(stretch);
            byRun.get(index).add(PhaseResult.of(phases.get(index).plan(), stretch, -1));
            if (turn % phases.size() == phases.size() - 1) {
                List<PhaseResult> thisRun = byRun.stream().map(results -> results.get(run)).toList();
                System.out.printf("    run %d: %s tokens/s, %s ms Keycloak CPU per token%n", run + 1,
                        and(thisRun.stream().map(r -> String.format("%.0f", r.tokensPerSecond())).toList()),
                        and(thisRun.stream().map(r -> String.format("%.2f", r.keycloakCpuMsPerToken())).toList()));
            }
        }
        long heap = server.liveObjects().totalBytes();
        List<PhaseResult> overall = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            overall.add(PhaseResult.of(phases.get(i).plan(), PhaseResult.Stretch.combine(stretches.get(i)), heap));
            System.out.printf("  %-36s all runs: ", overall.get(i).name());
            report(overall.get(i));
        }
        return new Comparison(byRun, overall);
    }

    /** "a and b", "a, b and c". */
    private static String and(List<String> items) {
        return items.size() == 1 ? items.get(0)
                : String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
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

    private PhaseResult.Stretch stretch(Phase phase, String recording) {
        FakeSts sts = server.sts();
        sts.setLatency(phase.plan().stsLatency());
        sts.reset();
        Results.LoadAverage loadBefore = Results.LoadAverage.now();
        long signedBefore = phase.signedByWorkers().getAsLong();
        Cpu[] window = new Cpu[2];
        Load.Tally tally = load.run(phase.plan().concurrency(), phase.plan().warmup(), phase.plan().duration(),
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
                });
        stsConnectionsSoFar += sts.connectionCount();
        stsRequestsSoFar += sts.requestCount();
        return new PhaseResult.Stretch(tally, window[1].since(window[0]), phase.plan().duration().toNanos() / 1e9,
                sts.connectionCount(), sts.peakInFlight(), loadBefore, phase.signedByWorkers().getAsLong() - signedBefore);
    }

    /** Recordings of one phase share a prefix, so that its runs can be read together. */
    private static String recordingName(Plan plan, int run) {
        return "bench-" + plan.name().replaceAll("[^A-Za-z0-9]+", "-") + (run == 0 ? "" : "--run-" + run);
    }

    private static void announce(Plan plan, String how) {
        System.out.printf("  %-36s %3d clients, STS latency %3d ms: %ds warm-up, %ds measured%s", plan.name(),
                plan.concurrency(), plan.stsLatency().toMillis(), plan.warmup().toSeconds(), plan.duration().toSeconds(), how);
        System.out.flush();
    }

    private static void report(PhaseResult result) {
        System.out.printf("%.0f tokens/s, p99 %.0f ms, %d errors%n", result.tokensPerSecond(), result.p99Ms(), result.errors());
    }
}
