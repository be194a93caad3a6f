package io.github.kcawspack.bench;

import java.util.List;

/**
 * One stretch of a phase's load and the readings around its measured window. A phase is one
 * stretch, or several interleaved with another phase's (see {@link PhaseRunner#runInterleaved}).
 *
 * @param measuredSeconds the measured window's length
 * @param loadBefore      the machine's load averages when the stretch started
 * @param signedByWorkers aws_identity requests signed during load because the pool ran dry
 */
record Stretch(Load.Tally tally, Cpu.Use cpu, double measuredSeconds, long stsConnections, int stsPeakInFlight,
        LoadAverage loadBefore, long signedByWorkers) {

    /** Several stretches of one phase as one. */
    static Stretch combine(List<Stretch> stretches) {
        Cpu.Use cpu = Cpu.Use.NONE;
        double seconds = 0;
        long connections = 0;
        int peak = 0;
        long signed = 0;
        for (Stretch stretch : stretches) {
            cpu = cpu.plus(stretch.cpu);
            seconds += stretch.measuredSeconds;
            connections += stretch.stsConnections;
            peak = Math.max(peak, stretch.stsPeakInFlight);
            signed += stretch.signedByWorkers;
        }
        return new Stretch(Load.Tally.combine(stretches.stream().map(Stretch::tally).toList()), cpu, seconds, connections,
                peak, stretches.get(0).loadBefore, signed);
    }
}
