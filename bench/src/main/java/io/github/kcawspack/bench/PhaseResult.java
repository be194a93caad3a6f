package io.github.kcawspack.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * What one phase measured, in one run or over all its runs ({@link #combine}); docs/benchmark.md
 * explains each figure. Percentiles corrected for coordinated omission (see {@link Load}) but
 * {@code p99UncorrectedMs}. Times in milliseconds, CPU in cores; errors and STS connections include
 * the warm-up; {@code heapAfterGcBytes} -1 when not read.
 */
record PhaseResult(String name, String grant, int concurrency, long stsLatencyMs, long tokens, double tokensPerSecond,
        double p50Ms, double p95Ms, double p99Ms, double p99UncorrectedMs, long errors, Map<String, Long> errorKinds,
        long stsConnections, int stsPeakInFlight, double keycloakCpuMsPerToken, double keycloakCores,
        double keycloakJitCores, double keycloakGcCores, double keycloakSwitchesPerToken, double benchCores,
        double othersCores, long heapAfterGcBytes, long signedByWorkers, double measuredSeconds, @JsonIgnore Load.Tally tally, @JsonIgnore Cpu cpu, @JsonIgnore ThroughputRun.Phase phase) {

    static PhaseResult of(ThroughputRun.Phase phase, Load.Tally tally, Cpu cpu, double measuredSeconds, long stsConnections,
            int stsPeakInFlight, long signedByWorkers, long heapAfterGcBytes) {
        long tokens = tally.tokens();
        return new PhaseResult(phase.name(), phase.grant(), phase.concurrency(), phase.stsLatencyMs(), tokens,
                tokens / measuredSeconds, tally.percentileMillis(50), tally.percentileMillis(95), tally.percentileMillis(99),
                tokens == 0 ? Double.NaN : tally.latencies().getValueAtPercentile(99) / 1e6, tally.errors(), tally.errorKinds(),
                stsConnections, stsPeakInFlight, cpu.keycloakMsPer(tokens), cpu.keycloakCores(), cpu.keycloakJitCores(),
                cpu.keycloakGcCores(), cpu.keycloakSwitchesPer(tokens), cpu.benchCores(), cpu.othersCores(), heapAfterGcBytes, signedByWorkers, measuredSeconds, tally, cpu, phase);
    }

    /** A phase's runs as one: their tallies, CPU, time and connections added up. */
    static PhaseResult combine(List<PhaseResult> runs, long heapAfterGcBytes) {
        return of(runs.get(0).phase, Load.Tally.combine(runs.stream().map(PhaseResult::tally).toList()),
                runs.stream().map(PhaseResult::cpu).reduce(Cpu.NONE, Cpu::plus),
                runs.stream().mapToDouble(PhaseResult::measuredSeconds).sum(),
                runs.stream().mapToLong(PhaseResult::stsConnections).sum(),
                runs.stream().mapToInt(PhaseResult::stsPeakInFlight).max().orElse(0),
                runs.stream().mapToLong(PhaseResult::signedByWorkers).sum(), heapAfterGcBytes);
    }
}
