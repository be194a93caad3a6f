package io.github.kcawspack.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Warms Keycloak up by rehearsing the run: every phase's load in turn, a few seconds each, round
 * after round, until Keycloak's JIT compiler is nearly idle over a whole round.
 *
 * <p>Keycloak's code base is large: under load its compiler threads keep compiling for minutes,
 * and code not compiled yet runs several times slower. A first version warmed up with all grants
 * at once; aws_identity then still cost 4.8 ms of CPU per token in its first phase and 2.75 ms
 * in a later one, while Keycloak's compiler used 0.3 cores during the first. Rehearsing each
 * phase's own load (its grant, its number of clients, its STS latency) compiles what the phase
 * will run. A fixed warm-up long enough for every machine would waste minutes on fast ones; the
 * compiler's own CPU use says when it is done.
 */
final class ServerWarmUp {

    /** Load per phase in each round. */
    static final Duration TURN = Duration.ofSeconds(4);
    /** Compiler CPU over a round, in cores, below which the server counts as warm. */
    static final double QUIET_JIT_CORES = 0.05;

    /**
     * @param rounds       rounds rehearsed
     * @param lastJitCores the compiler's CPU in the last round
     * @param quiet        whether the compiler went quiet, rather than the time running out
     * @param awsTokensPerSecond the fastest aws_identity pace in the last round, to size the
     *                     pools of requests signed ahead
     */
    record Result(double seconds, int rounds, double lastJitCores, boolean quiet, Map<String, Long> errorKinds,
            double awsTokensPerSecond) {
        long errors() {
            return errorKinds.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final BenchServer server;
    private final PhaseRunner phases;

    ServerWarmUp(BenchServer server, PhaseRunner phases) {
        this.server = server;
        this.phases = phases;
    }

    Result run(List<PhaseRunner.Phase> rehearsed, Duration atLeast, Duration atMost) {
        System.out.printf("  warm-up: each phase's load for %d s in turn, until Keycloak's JIT compiler uses less than"
                + " %.2f cores over a round (at least %d s, at most %d s)%n", TURN.toSeconds(), QUIET_JIT_CORES,
                atLeast.toSeconds(), atMost.toSeconds());
        Map<String, Long> errorKinds = new TreeMap<>();
        long start = System.nanoTime();
        for (int round = 1; ; round++) {
            Cpu before = Cpu.take(server.jvm());
            double awsPerSecond = 0;
            for (PhaseRunner.Phase phase : rehearsed) {
                Load.Tally tally = phases.rehearse(phase, TURN);
                tally.errorKinds().forEach((kind, count) -> errorKinds.merge(phase.plan().name() + ": " + kind, count,
                        Long::sum));
                if (phase.plan().grant() == Grant.AWS_IDENTITY) {
                    awsPerSecond = Math.max(awsPerSecond, tally.tokens() / (double) TURN.toSeconds());
                }
            }
            Cpu.Use cpu = Cpu.take(server.jvm()).since(before);
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean quiet = cpu.keycloakJitCores() < QUIET_JIT_CORES;
            System.out.printf("    %4.0f s: JIT compiler %.2f cores, Keycloak %.2f cores, others %.2f cores%n",
                    seconds, cpu.keycloakJitCores(), cpu.keycloakCores(), cpu.othersCores());
            if ((quiet && seconds >= atLeast.toSeconds()) || seconds >= atMost.toSeconds()) {
                // The last rehearsal may have been the slow-STS one; what follows expects none.
                server.sts().setLatency(Duration.ZERO);
                return new Result(seconds, round, cpu.keycloakJitCores(), quiet, errorKinds, awsPerSecond);
            }
        }
    }
}
