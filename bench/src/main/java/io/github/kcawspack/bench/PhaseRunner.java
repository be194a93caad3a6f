package io.github.kcawspack.bench;

import io.github.kcawspack.it.fakests.FakeSts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs phases against the bench server and takes the readings around their measured windows: CPU
 * of Keycloak, of this JVM and of the rest of the machine; connections the fake STS accepted;
 * Keycloak's heap after GC once a phase's load has stopped. With a JFR directory, Keycloak is
 * recorded during every measured window.
 */
final class PhaseRunner {

    /** A phase to run: what to send, and how many of its requests had to be signed during load. */
    record Phase(PhasePlan plan, TokenRequest.Source source, LongSupplier signedByWorkers) {
        static Phase of(PhasePlan plan, TokenRequest.Source source) {
            return new Phase(plan, source, () -> 0);
        }
    }

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

    /** Every connection the fake STS accepted in the phases so far. */
    long stsConnectionsSoFar() {
        return stsConnectionsSoFar;
    }

    /** Every request the fake STS received in the phases so far: with the connections, how well they were reused. */
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

    /** The phase's load, unmeasured, for {@code time}: a rehearsal that lets the JIT compile what it runs. */
    Load.Tally rehearse(Phase phase, Duration time) {
        server.sts().setLatency(phase.plan().stsLatency());
        return countingStsConnections(() -> load.run(phase.plan().concurrency(), Duration.ZERO, time, phase.source(),
                Load.Window.NONE));
    }

    PhaseResult run(Phase phase) {
        announce(phase.plan(), " ... ");
        PhaseResult result = PhaseResult.of(phase.plan(), stretch(phase, phase.plan().warmup(), phase.plan().duration(),
                recordingName(phase.plan(), 0)), server.jvm().heapUsedAfterGc());
        report(result);
        return result;
    }

    /**
     * Runs phases that are to be compared with each other in {@code rounds} turns, ABBA-ordered
     * (A B, B A, A B, ...), each turn a share of the phase's warm-up and measured time. The
     * server keeps getting faster for minutes (the JIT compiles Keycloak's large code base long
     * after the warm-up) and other processes come and go on a shared machine; taking turns
     * exposes the compared phases to the same drift instead of giving the later one the
     * advantage.
     */
    List<PhaseResult> runInterleaved(List<Phase> phases, int rounds) {
        List<List<Stretch>> stretches = new ArrayList<>();
        for (Phase phase : phases) {
            stretches.add(new ArrayList<>());
            announce(phase.plan(), String.format(", in %d turns with the other%n", rounds));
        }
        List<Integer> turns = turns(phases.size(), rounds);
        for (int turn = 0; turn < turns.size(); turn++) {
            Phase phase = phases.get(turns.get(turn));
            stretches.get(turns.get(turn)).add(stretch(phase, phase.plan().warmup().dividedBy(rounds),
                    phase.plan().duration().dividedBy(rounds), recordingName(phase.plan(), turn / phases.size() + 1)));
        }
        long heap = server.jvm().heapUsedAfterGc();
        List<PhaseResult> results = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            PhaseResult result = PhaseResult.of(phases.get(i).plan(), Stretch.combine(stretches.get(i)), heap);
            System.out.printf("  %-34s ... ", result.name());
            report(result);
            results.add(result);
        }
        return results;
    }

    /** Which phase runs in each turn: A B, then B A, round after round (A B B A A B B A for two phases, four rounds). */
    static List<Integer> turns(int phases, int rounds) {
        List<Integer> order = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < phases; turn++) {
                order.add(round % 2 == 0 ? turn : phases - 1 - turn);
            }
        }
        return order;
    }

    private Stretch stretch(Phase phase, Duration warmup, Duration duration, String recording) {
        FakeSts sts = server.sts();
        KeycloakJvm jvm = server.jvm();
        sts.setLatency(phase.plan().stsLatency());
        sts.reset();
        LoadAverage loadBefore = LoadAverage.now();
        long signedBefore = phase.signedByWorkers().getAsLong();
        Cpu[] window = new Cpu[2];
        Load.Tally tally = load.run(phase.plan().concurrency(), warmup, duration, phase.source(),
                new Load.Window() {
                    @Override
                    public void opened() {
                        window[0] = Cpu.take(jvm);
                        if (jfrDirectory != null) {
                            jvm.startRecording(recording);
                        }
                    }

                    @Override
                    public void closed() {
                        window[1] = Cpu.take(jvm);
                        if (jfrDirectory != null) {
                            jvm.stopRecording(recording, jfrDirectory.resolve(recording + ".jfr"));
                        }
                    }
                });
        long connections = sts.connectionCount();
        stsConnectionsSoFar += connections;
        stsRequestsSoFar += sts.requestCount();
        return new Stretch(tally, window[1].since(window[0]), duration.toNanos() / 1e9, connections, sts.peakInFlight(),
                loadBefore, phase.signedByWorkers().getAsLong() - signedBefore);
    }

    /** Recordings of one phase share a prefix, so that its turns can be read together. */
    private static String recordingName(PhasePlan plan, int turn) {
        return "bench-" + plan.name().replaceAll("[^A-Za-z0-9]+", "-") + (turn == 0 ? "" : "--turn-" + turn);
    }

    private static void announce(PhasePlan plan, String how) {
        System.out.printf("  %-34s %3d clients, STS latency %3d ms: %ds warm-up, %ds measured%s", plan.name(),
                plan.concurrency(), plan.stsLatency().toMillis(), plan.warmup().toSeconds(), plan.duration().toSeconds(), how);
        System.out.flush();
    }

    private static void report(PhaseResult result) {
        System.out.printf("%.0f tokens/s, p99 %.0f ms, %d errors%n", result.tokensPerSecond(), result.p99Ms(), result.errors());
    }
}
