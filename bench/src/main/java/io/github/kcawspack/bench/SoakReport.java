package io.github.kcawspack.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the soak measured: Keycloak's heap after GC and open file descriptors from the first to
 * the last reading, and each grant's figures over the measured time.
 *
 * @param samples readings from the end of the warm-up to the end, in order
 * @param grants  each grant's figures over the measured time
 * @param grownClasses  the classes whose live objects grew most from the first reading to the last
 * @param shrunkClasses and those that shrank most
 */
record SoakReport(List<Sample> samples, List<GrantSummary> grants, Verdict heap, Verdict fileDescriptors,
        List<ClassHistogram.Delta> grownClasses, List<ClassHistogram.Delta> shrunkClasses) {

    /**
     * One reading during the soak.
     *
     * @param tokensPerSecond           per grant, since the previous reading
     * @param awsIdentityAcceptedSoFar  aws_identity requests accepted since Keycloak started: each
     *                                  is an entry of the replay store until its lifespan (16 min
     *                                  and more) ends, longer than the soak
     */
    /** @param heapAfterGcBytes Keycloak's live objects after a full GC */
    record Sample(double minute, long heapAfterGcBytes, int openFileDescriptors, Map<String, Double> tokensPerSecond,
            long awsIdentityAcceptedSoFar, LoadAverage loadAverage) {
    }

    /** One grant's figures over the measured time of the soak. */
    record GrantSummary(String grant, int clients, long tokens, double tokensPerSecond, double p50Ms, double p95Ms,
            double p99Ms, long errors, Map<String, Long> errorKinds, @JsonIgnore Histogram latencies) {

        static GrantSummary of(Grant grant, int clients, Load.Tally tally, double seconds) {
            return new GrantSummary(grant.wireName(), clients, tally.tokens(), tally.tokens() / seconds,
                    tally.percentileMillis(50), tally.percentileMillis(95), tally.percentileMillis(99), tally.errors(),
                    tally.errorKinds(), tally.corrected());
        }
    }

    /** Flat within the tolerance from the first to the last reading, or not. */
    record Verdict(long start, long end, double change, double tolerance, boolean pass) {
        static Verdict of(long start, long end, double tolerance) {
            double change = (double) (end - start) / start;
            return new Verdict(start, end, change, tolerance, Math.abs(change) <= tolerance);
        }

        String text() {
            return (pass ? "PASS" : "FAIL") + String.format(" (%+.1f %%, limit +/-%.0f %%)", change * 100, tolerance * 100);
        }
    }
}
