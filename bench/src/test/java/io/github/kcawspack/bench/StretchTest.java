package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StretchTest {

    private static Stretch stretch(long[] latenciesMs, Map<String, Long> errors, long keycloakMillis, double seconds,
            long connections, int peak) {
        LatencySamples samples = new LatencySamples();
        for (long ms : latenciesMs) {
            samples.add(ms * 1_000_000);
        }
        ClosedLoopLoad.Tally tally = new ClosedLoopLoad.Tally(LatencySamples.merge(List.of(samples)),
                errors.values().stream().mapToLong(Long::longValue).sum(), errors);
        return new Stretch(tally, new CpuSnapshot.CpuUse(seconds * 1000, keycloakMillis, 10, 5, keycloakMillis + 20),
                seconds, connections, peak, new LoadAverage(1, 1, 1), 0);
    }

    @Test
    void turnsOfOnePhaseAddUpToOnePhase() {
        Stretch combined = Stretch.combine(List.of(
                stretch(new long[] {1, 2, 3}, Map.of("503 x", 1L), 500, 5, 2, 10),
                stretch(new long[] {4, 5}, Map.of("503 x", 2L, "400 y", 1L), 700, 5, 1, 30)));

        assertThat(combined.tally().latencies().count()).isEqualTo(5);
        assertThat(combined.tally().latencies().percentileMillis(100)).isEqualTo(5.0);
        assertThat(combined.tally().errors()).isEqualTo(4);
        assertThat(combined.tally().errorKinds()).containsEntry("503 x", 3L).containsEntry("400 y", 1L);
        assertThat(combined.measuredSeconds()).isEqualTo(10.0);
        assertThat(combined.cpu().keycloakMillis()).isEqualTo(1200);
        assertThat(combined.cpu().keycloakCores()).isEqualTo(0.12);
        assertThat(combined.stsConnections()).isEqualTo(3);
        assertThat(combined.stsPeakInFlight()).isEqualTo(30);

        PhaseResult result = PhaseResult.of(new PhasePlan("aws_identity", Grant.AWS_IDENTITY, 16,
                Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(10)), combined, 1);
        assertThat(result.tokensPerSecond()).isEqualTo(0.5);
        assertThat(result.keycloakCpuMsPerToken()).isEqualTo((1200 - 20) / 5.0);
    }
}
