package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static PhaseResult phase(String grant, int clients, long stsLatencyMs, double tokensPerSecond, long errors) {
        return new PhaseResult(grant, grant, clients, stsLatencyMs, 100, tokensPerSecond, 10, 20, 30, 25, errors, Map.of(), 0,
                clients, 3, 1.5, 0.0, 0.3, 0.1, 100 << 20, new LoadAverage(0.5, 0.4, 0.3), 0, Load.histogram());
    }

    private static ReplayStoreFootprint.Result replay(long errors) {
        return new ReplayStoreFootprint.Result(10_000, List.of(100L, 101L, 103L, 104L), 100, 300, 200, List.of(), List.of(), 960,
                1260, errors, Map.of());
    }

    private static Targets judge(double ccTps, double awsTps, double awsManyTps, double awsSlowTps, long connections,
            long errors) {
        PhaseResult cc = phase("client_credentials", 16, 0, ccTps, 0);
        PhaseResult aws = phase("aws_identity", 16, 0, awsTps, errors);
        PhaseResult awsMany = phase("aws_identity", 64, 0, awsManyTps, 0);
        PhaseResult awsSlow = phase("aws_identity", 64, 50, awsSlowTps, 0);
        return Targets.judge(cc, aws, awsMany, awsSlow, List.of(cc, aws, awsMany, awsSlow), 0, replay(0), connections, 10_000);
    }

    @Test
    void passesAtTheThresholds() {
        Targets targets = judge(100, 80, 100, 70, 128, 0);

        assertThat(targets.checks()).extracting(Targets.Check::pass).containsExactly(true, true, true, true);
    }

    @Test
    void failsJustBelowThem() {
        Targets targets = judge(100, 79, 100, 69, 129, 1);

        assertThat(targets.checks()).extracting(Targets.Check::pass).containsExactly(false, false, false, false);
    }

    @Test
    void statesTheReplayStoreBound() {
        Targets targets = judge(100, 80, 100, 70, 10, 0);

        assertThat(targets.checks().get(3).measured()).isEqualTo("0 errors; 200 bytes per outstanding request");
        // The fastest aws_identity phase of the run (100 tokens/s here) bounds the store: 200 B x 100/s x 1260 s.
        assertThat(targets.checks().get(3).note()).contains("960 s", "1260 s", "at 100 aws_identity requests/s", "25 MB");
    }
}
