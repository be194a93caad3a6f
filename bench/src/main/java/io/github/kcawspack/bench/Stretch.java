package io.github.kcawspack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stretch of a phase's load and the readings around its measured window. A phase is one
 * stretch, or several interleaved with another phase's (see {@link PhaseRunner#runInterleaved}).
 *
 * @param measuredSeconds the measured window's length
 * @param loadBefore      the machine's load averages when the stretch started
 * @param signedByWorkers aws_identity requests signed during load because the pool ran dry
 */
record Stretch(ClosedLoopLoad.Tally tally, CpuSnapshot.CpuUse cpu, double measuredSeconds, long stsConnections,
        int stsPeakInFlight, LoadAverage loadBefore, long signedByWorkers) {

    /** Several stretches of one phase as one. */
    static Stretch combine(List<Stretch> stretches) {
        List<LatencySamples.Sorted> latencies = new ArrayList<>();
        Map<String, Long> errorKinds = new TreeMap<>();
        CpuSnapshot.CpuUse cpu = CpuSnapshot.CpuUse.NONE;
        double seconds = 0;
        long connections = 0;
        int peak = 0;
        long signed = 0;
        for (Stretch stretch : stretches) {
            latencies.add(stretch.tally.latencies());
            stretch.tally.errorKinds().forEach((kind, count) -> errorKinds.merge(kind, count, Long::sum));
            cpu = cpu.plus(stretch.cpu);
            seconds += stretch.measuredSeconds;
            connections += stretch.stsConnections;
            peak = Math.max(peak, stretch.stsPeakInFlight);
            signed += stretch.signedByWorkers;
        }
        ClosedLoopLoad.Tally tally = new ClosedLoopLoad.Tally(LatencySamples.Sorted.merge(latencies),
                errorKinds.values().stream().mapToLong(Long::longValue).sum(), errorKinds);
        return new Stretch(tally, cpu, seconds, connections, peak, stretches.get(0).loadBefore, signed);
    }
}
