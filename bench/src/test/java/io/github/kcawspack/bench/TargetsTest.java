package io.github.kcawspack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static PhaseResult phase(String grant, int clients, long stsLatencyMs, double tokensPerSecond,
            double cpuMsPerToken, long errors) {
        return new PhaseResult(grant, grant, clients, stsLatencyMs, 100, tokensPerSecond, 10, 20, 30, 25, errors, Map.of(), 0,
                clients, cpuMsPerToken, 1.5, 0.0, 0.0, 0.0, 0.3, 0.1, 100 << 20, 0, 10, null, null, null);
    }

    /** Five runs: the first phase at 100 tokens/s and 2 ms CPU per token, the others at these figures run by run. */
    private static ThroughputRun.Comparison comparison(int clients, long stsLatencyMs, double[] tokensPerSecond, double[] cpu,
            int others) {
        List<List<PhaseResult>> byRun = new ArrayList<>();
        for (int phase = 0; phase <= others; phase++) {
            List<PhaseResult> runs = new ArrayList<>();
            for (int run = 0; run < tokensPerSecond.length; run++) {
                runs.add(phase == 0 ? phase("client_credentials", clients, 0, 100, 2, 0)
                        : phase("aws_identity", clients, stsLatencyMs, tokensPerSecond[run], cpu[run] * phase, 0));
            }
            byRun.add(runs);
        }
        return new ThroughputRun.Comparison(byRun, byRun.stream().map(runs -> runs.get(0)).toList());
    }

    private static Targets judge(double[] awsTps, double[] awsCpu, double[] slowTps, long connections, long errors) {
        ThroughputRun.Comparison grants = comparison(16, 0, awsTps, awsCpu, 1);
        ThroughputRun.Comparison latency = comparison(64, 50, slowTps, awsCpu, 1);
        // jwt-bearer RS256 as aws_identity here, ES384 at twice its CPU per token
        ThroughputRun.Comparison jwt = comparison(16, 0, awsTps, awsCpu, 2);
        ThroughputRun.ReplayStore replay = new ThroughputRun.ReplayStore(10_000, List.of(100L, 101L, 103L, 104L), 100,
                300, 200, List.of(), List.of(), 960, 1260, errors, Map.of());
        return Targets.judge(grants, latency, jwt, grants.overall(), 0, replay, connections, 10_000, "max-concurrent-calls 64, http-pool-max-threads 100");
    }

    @Test
    void passesAtTheThresholdsByTheMedianRun() {
        // one disturbed run of five (0.50, 4 ms) does not move the median
        Targets targets = judge(new double[] {90, 95, 50, 90, 91}, new double[] {2.1, 2.0, 4.0, 2.1, 2.0},
                new double[] {70, 80, 70, 10, 75}, 128, 0);

        assertThat(targets.checks()).extracting(Targets.Check::pass).containsExactly(true, true, true, true, true, true);
        assertThat(targets.checks().get(0).measured()).isEqualTo("median 0.90 of 0.90, 0.95, 0.50, 0.90, 0.91");
        assertThat(targets.checks().get(1).measured()).startsWith("median 0.95 of 0.95, 1.00, 0.50, 0.95, 1.00");
        assertThat(targets.checks().get(5).measured()).isEqualTo(targets.checks().get(1).measured());
        // ES384 at twice RS256's CPU per token in every run
        assertThat(targets.checks().get(5).note()).contains("ES384 / RS256 median 2.00 of 2.00, 2.00, 2.00, 2.00, 2.00");
    }

    @Test
    void failsJustBelowThem() {
        Targets targets = judge(new double[] {89, 89, 95, 89, 95}, new double[] {2.2, 2.2, 2.0, 2.2, 2.0},
                new double[] {69, 69, 69, 80, 80}, 129, 1);

        assertThat(targets.checks()).extracting(Targets.Check::pass).containsExactly(false, false, false, false, false, false);
    }

    @Test
    void theMedianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
        assertThat(Targets.median(new double[] {0.7, 0.9, 0.8, 1.0})).isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Targets.median(new double[] {0.9, Double.NaN, 0.9})).isNaN();
    }

    @Test
    void statesTheReplayStoreBound() {
        double[] fast = {100, 100, 100, 100, 100};
        Targets targets = judge(fast, new double[] {2, 2, 2, 2, 2}, fast, 10, 0);

        assertThat(targets.checks().get(4).measured()).isEqualTo("0 errors; 200 bytes per outstanding request");
        // The fastest aws_identity phase of the run (100 tokens/s here) bounds the store: 200 B x 100/s x 1260 s.
        assertThat(targets.checks().get(4).note()).contains("960 s", "1260 s", "at 100 aws_identity requests/s", "25 MB");
    }
}
