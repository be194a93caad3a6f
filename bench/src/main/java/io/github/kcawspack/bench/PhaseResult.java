package io.github.kcawspack.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one phase measured, in one run or over all its runs. Percentiles are of the latencies
 * corrected for coordinated omission (see {@link Load}); {@code p99UncorrectedMs} is the 99th as
 * the clients measured it. Times in milliseconds, CPU in cores (1.0: one core all the time).
 *
 * @param tokens               tokens obtained in the measured window
 * @param errors               failed requests, warm-up included
 * @param stsConnections       TCP connections the fake STS accepted during the phase, warm-up included
 * @param stsPeakInFlight      the most STS requests the fake held at once
 * @param keycloakCpuMsPerToken Keycloak's CPU time in the window, without its JIT compiler threads,
 *                             divided by its tokens: unlike tokens/s, hardly moved by what else
 *                             runs on the machine
 * @param keycloakJitCores     CPU Keycloak's JIT compiler used in the window: near zero once warm
 * @param keycloakGcCores      CPU Keycloak's garbage collector threads used in the window (part of
 *                             {@code keycloakCpuMsPerToken})
 * @param keycloakSwitchesPerToken context switches of Keycloak's threads in the window per token:
 *                             how often a token's work waited or was preempted
 * @param othersCores          CPU used by other processes during the window
 * @param heapAfterGcBytes     Keycloak's live objects after a full GC once the phase's load stopped
 * @param signedByWorkers        single-use requests (aws_identity, jwt-bearer) signed during load because the pool ran dry
 * @param latencies            the corrected latencies in nanoseconds, for the percentile distribution file
 */
record PhaseResult(String name, String grant, int concurrency, long stsLatencyMs, long tokens, double tokensPerSecond,
        double p50Ms, double p95Ms, double p99Ms, double p99UncorrectedMs, long errors, Map<String, Long> errorKinds,
        long stsConnections, int stsPeakInFlight, double keycloakCpuMsPerToken, double keycloakCores,
        double keycloakJitCores, double keycloakGcCores, double keycloakSwitchesPerToken, double benchCores, double othersCores, long heapAfterGcBytes,
        Results.LoadAverage loadAverageBefore, long signedByWorkers, @JsonIgnore Histogram latencies) {

    /**
     * One stretch of a phase's load and the readings around its measured window; a phase over
     * several runs is their stretches combined.
     *
     * @param measuredSeconds the measured window's length
     * @param loadBefore      the machine's load averages when the stretch started
     */
    record Stretch(Load.Tally tally, Cpu cpu, double measuredSeconds, long stsConnections, int stsPeakInFlight,
            Results.LoadAverage loadBefore, long signedByWorkers) {

        static Stretch combine(List<Stretch> stretches) {
            return new Stretch(Load.Tally.combine(stretches.stream().map(Stretch::tally).toList()),
                    stretches.stream().map(Stretch::cpu).reduce(Cpu.NONE, Cpu::plus),
                    stretches.stream().mapToDouble(Stretch::measuredSeconds).sum(),
                    stretches.stream().mapToLong(Stretch::stsConnections).sum(),
                    stretches.stream().mapToInt(Stretch::stsPeakInFlight).max().orElse(0), stretches.get(0).loadBefore,
                    stretches.stream().mapToLong(Stretch::signedByWorkers).sum());
        }
    }

    static PhaseResult of(PhaseRunner.Plan plan, Stretch stretch, long heapAfterGcBytes) {
        Load.Tally tally = stretch.tally();
        Cpu cpu = stretch.cpu();
        long tokens = tally.tokens();
        return new PhaseResult(plan.name(), plan.grant().wireName(), plan.concurrency(), plan.stsLatency().toMillis(),
                tokens, tokens / stretch.measuredSeconds(), tally.percentileMillis(50), tally.percentileMillis(95),
                tally.percentileMillis(99), tokens == 0 ? Double.NaN : tally.latencies().getValueAtPercentile(99) / 1e6,
                tally.errors(), tally.errorKinds(), stretch.stsConnections(), stretch.stsPeakInFlight(),
                cpu.keycloakMsPer(tokens), cpu.keycloakCores(), cpu.keycloakJitCores(), cpu.keycloakGcCores(),
                cpu.keycloakSwitchesPer(tokens), cpu.benchCores(), cpu.othersCores(),
                heapAfterGcBytes, stretch.loadBefore(), stretch.signedByWorkers(), tally.corrected());
    }
}
