package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class PhaseResultTest {

    private static final ThroughputRun.Phase PHASE = new ThroughputRun.Phase("aws_identity", BenchServer.AWS_IDENTITY, 16, 0,
            BenchServer.clientCredentials());

    private static PhaseResult run(long[] latenciesMs, Map<String, Long> errors, long keycloakMillis, double seconds,
            long connections, int peak) {
        Histogram latencies = Load.histogram();
        for (long ms : latenciesMs) {
            latencies.recordValue(ms * 1_000_000);
        }
        return PhaseResult.of(PHASE, new Load.Tally(latencies, latencies.copy(), errors),
                new Cpu(seconds * 1000, keycloakMillis, 10, 40, 30, 5, keycloakMillis + 20), seconds, connections, peak, 0, -1);
    }

    @Test
    void runsOfOnePhaseAddUpToOnePhase() {
        PhaseResult result = PhaseResult.combine(List.of(run(new long[] {1, 2, 3}, Map.of("503 x", 1L), 500, 5, 2, 10),
                run(new long[] {4, 5}, Map.of("503 x", 2L, "400 y", 1L), 700, 5, 1, 30)), 1);

        assertThat(result.tokens()).isEqualTo(5);
        assertThat(result.p99Ms()).isCloseTo(5.0, Offset.offset(0.005));
        assertThat(result.errors()).isEqualTo(4);
        assertThat(result.errorKinds()).containsEntry("503 x", 3L).containsEntry("400 y", 1L);
        assertThat(result.measuredSeconds()).isEqualTo(10.0);
        assertThat(result.cpu().keycloakMillis()).isEqualTo(1200);
        assertThat(result.keycloakCores()).isEqualTo(0.12);
        assertThat(result.stsConnections()).isEqualTo(3);
        assertThat(result.stsPeakInFlight()).isEqualTo(30);
        assertThat(result.heapAfterGcBytes()).isEqualTo(1);
        assertThat(result.tokensPerSecond()).isEqualTo(0.5);
        // Keycloak's CPU without its JIT compiler's (10 ms per run), per token
        assertThat(result.keycloakCpuMsPerToken()).isEqualTo((1200 - 20) / 5.0);
        // GC threads 40 ms per run over 10 s; 30 context switches per run over 5 tokens
        assertThat(result.keycloakGcCores()).isEqualTo(0.008);
        assertThat(result.keycloakSwitchesPerToken()).isEqualTo(12.0);
    }

    @Test
    void cpuInCores() {
        Cpu use = new Cpu(2_000, 1_500, 100, 200, 50, 300, 2_400);

        assertThat(use.keycloakCores()).isEqualTo(0.75);
        assertThat(use.keycloakJitCores()).isEqualTo(0.05);
        assertThat(use.keycloakGcCores()).isEqualTo(0.1);
        assertThat(use.keycloakSwitchesPer(10)).isEqualTo(5.0);
        assertThat(use.benchCores()).isEqualTo(0.15);
        // the machine's busy time less Keycloak's and this JVM's
        assertThat(use.othersCores()).isEqualTo(0.3);
        assertThat(use.keycloakMsPer(100)).isEqualTo(14.0);
        assertThat(use.keycloakMsPer(0)).isNaN();
    }

    @Test
    void cpuReadingsComeFromTheJdkAndProc() {
        Cpu reading = Cpu.now(ProcessHandle.current());

        assertThat(reading.benchMillis()).isPositive();
        assertThat(reading.machineMillis()).isGreaterThanOrEqualTo(reading.benchMillis());
        // this JVM has JIT compiler and GC threads too, and its threads have waited
        Cpu.Threads threads = Cpu.Threads.of(ProcessHandle.current().pid());
        assertThat(threads.jitMillis()).isNotNegative();
        assertThat(threads.gcMillis()).isNotNegative();
        assertThat(threads.switches()).isPositive();
    }
}
