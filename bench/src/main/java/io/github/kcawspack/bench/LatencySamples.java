package io.github.kcawspack.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Every latency of one worker, in nanoseconds, kept in full: a phase has at most some tens of
 * thousands, and exact percentiles need no histogram buckets to argue about. Not thread-safe:
 * one per worker, merged when the phase is over.
 */
final class LatencySamples {

    private long[] nanos = new long[4096];
    private int size;

    void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = latencyNanos;
    }

    int size() {
        return size;
    }

    static Sorted merge(Iterable<LatencySamples> samples) {
        int total = 0;
        for (LatencySamples s : samples) {
            total += s.size;
        }
        long[] all = new long[total];
        int at = 0;
        for (LatencySamples s : samples) {
            System.arraycopy(s.nanos, 0, all, at, s.size);
            at += s.size;
        }
        Arrays.sort(all);
        return new Sorted(all);
    }

    /** All latencies of a phase, in order. */
    static final class Sorted {
        private final long[] nanos;

        Sorted(long[] sortedNanos) {
            this.nanos = sortedNanos;
        }

        int count() {
            return nanos.length;
        }

        static Sorted merge(List<Sorted> parts) {
            long[] all = parts.stream().flatMapToLong(part -> Arrays.stream(part.nanos)).toArray();
            Arrays.sort(all);
            return new Sorted(all);
        }

        /** Nearest-rank percentile in milliseconds; NaN when nothing was measured. */
        double percentileMillis(double percentile) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(percentile / 100.0 * nanos.length);
            return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
        }
    }
}
