package io.github.kcawspack.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures what the replay guard costs in Keycloak's heap. Every accepted aws_identity request
 * leaves one entry in Keycloak's single-use object store until it expires; the benchmark's run
 * is shorter than that lifespan, so no entry expires while this measures.
 *
 * <p>Heap after a full GC is read before and after {@code N} client_credentials requests (the
 * control: whatever a token request leaves behind anyway, e.g. caches filling up), then after
 * {@code N} aws_identity requests, all signed ahead of time. The difference between the two
 * per-request growths is the replay entry; the classes that grew show what it is made of.
 */
final class ReplayStoreFootprint {

    /**
     * @param bytesPerOutstandingRequest aws_identity growth minus control growth, per request
     * @param boundBytesAtRate           the most the store holds at {@code rate} requests/s, with
     *                                   every request kept for the longest lifespan
     */
    record Result(int requests, long heapBeforeControl, long heapAfterControl, long heapAfterAwsIdentity,
            double controlBytesPerRequest, double awsIdentityBytesPerRequest, double bytesPerOutstandingRequest,
            List<ClassHistogram.Delta> grownClasses, long usualLifespanSeconds, long longestLifespanSeconds,
            double rate, double boundBytesAtRate, long errors, Map<String, Long> errorKinds, long stsConnections) {
    }

    private final BenchServer server;
    private final PhaseRunner phases;
    private final SignedRequestPool signedRequests;
    private final BenchOptions options;

    ReplayStoreFootprint(BenchServer server, PhaseRunner phases, SignedRequestPool signedRequests, BenchOptions options) {
        this.server = server;
        this.phases = phases;
        this.signedRequests = signedRequests;
        this.options = options;
    }

    /** @param rate the aws_identity request rate to state the bound for (tokens/s) */
    Result measure(double rate) {
        int n = options.replayRequests();
        int clients = options.concurrency();
        System.out.printf("  replay store: heap after GC around %d client_credentials, then %d aws_identity requests ... ", n, n);
        System.out.flush();
        FixedCountLoad load = new FixedCountLoad(server.tokenEndpoint());
        KeycloakJvm jvm = server.jvm();

        long heapBeforeControl = jvm.heapUsedAfterGc();
        FixedCountLoad.Outcome control = load.send(n, clients, NativeGrantRequests.clientCredentials());
        ClassHistogram beforeAws = ClassHistogram.parse(jvm.classHistogram());
        long heapAfterControl = jvm.heapUsedAfterGc();

        signedRequests.fillTo(n);
        long connectionsBefore = phases.stsConnectionsSoFar();
        FixedCountLoad.Outcome aws = phases.countingStsConnections(() -> load.send(n, clients, signedRequests));
        long stsConnections = phases.stsConnectionsSoFar() - connectionsBefore;
        ClassHistogram afterAws = ClassHistogram.parse(jvm.classHistogram());
        long heapAfterAws = jvm.heapUsedAfterGc();

        double controlPerRequest = (double) (heapAfterControl - heapBeforeControl) / n;
        double awsPerRequest = (double) (heapAfterAws - heapAfterControl) / n;
        double perEntry = awsPerRequest - controlPerRequest;
        ReplayWindow window = ReplayWindow.ofDemoRealm(options.projectRoot());
        Map<String, Long> errorKinds = new TreeMap<>(control.errorKinds());
        aws.errorKinds().forEach((kind, count) -> errorKinds.merge(kind, count, Long::sum));
        System.out.printf("%.0f bytes per outstanding request%n", perEntry);
        return new Result(n, heapBeforeControl, heapAfterControl, heapAfterAws, controlPerRequest, awsPerRequest, perEntry,
                afterAws.largestGrowthSince(beforeAws, 10), window.usualLifespanSeconds(), window.longestLifespanSeconds(),
                rate, perEntry * rate * window.longestLifespanSeconds(), control.errors() + aws.errors(), errorKinds,
                stsConnections);
    }
}
