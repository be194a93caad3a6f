package io.github.kcawspack.bench;

import java.util.Map;

/**
 * One run of the benchmark as written to results.json: the machine and how busy it was, the
 * parameters, and what the run measured (the default run or the soak, one of them).
 */
record BenchReport(
        String mode,
        String startedAt,
        double wallSeconds,
        Machine machine,
        String keycloakVersion,
        String keycloakMode,
        LoadAverage loadAverageAtStart,
        LoadAverage loadAverageAtEnd,
        Map<String, Object> parameters,
        ThroughputReport throughput,
        SoakReport soak) {
}
