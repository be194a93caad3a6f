package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures what the replay guard costs in Keycloak's heap. Every accepted aws_identity request
 * leaves one entry in Keycloak's single-use object store until it expires; the run is shorter
 * than that lifespan, so no entry expires while this measures.
 *
 * <p>The live objects after a full GC (jcmd's class histogram) are weighed around three steps of
 * {@code N} requests each: client_credentials
 * (the control: what a token request leaves behind anyway, e.g. caches settling), aws_identity
 * (signed ahead of time), client_credentials again. The aws_identity step's growth minus the
 * mean growth of the two control steps, divided by N, is the replay entry; the classes that grew
 * during the aws_identity step show what it is made of.
 */
final class ReplayStoreFootprint {

    /**
     * @param liveBytes                  all live objects after a full GC (the class histogram's total),
     *                                   before the first step and after each of the three
     * @param bytesPerOutstandingRequest aws_identity growth minus control growth, per request
     * @param shrunkClasses              what else changed in the heap during the aws_identity step
     */
    record Result(int requests, List<Long> liveBytes, double controlBytesPerRequest,
            double awsIdentityBytesPerRequest, double bytesPerOutstandingRequest, List<ClassHistogram.Delta> grownClasses,
            List<ClassHistogram.Delta> shrunkClasses,
            long usualLifespanSeconds, long longestLifespanSeconds, long errors, Map<String, Long> errorKinds) {

        /** The most the store holds at {@code rate} accepted requests per second: each kept for the longest lifespan. */
        double boundBytesAt(double rate) {
            return bytesPerOutstandingRequest * rate * longestLifespanSeconds;
        }
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

    Result measure() {
        int n = options.replayRequests();
        // As many clients as the many-client phases the warm-up rehearsed: Keycloak's worker pool,
        // grown to its maximum there, stays busy and whole. With fewer, its idle threads retire
        // during the measurement and their thread-local buffers (Netty's, among others) leave the
        // heap: megabytes, more than the replay entries weigh.
        int clients = options.latencyConcurrency();
        signedRequests.fillTo(n);
        System.out.printf("  replay store: live objects after GC around %d client_credentials, %d aws_identity and %d"
                + " client_credentials requests ... ", n, n, n);
        System.out.flush();
        Load load = new Load(server.tokenEndpoint());
        Map<String, Long> errorKinds = new TreeMap<>();
        List<ClassHistogram> live = new ArrayList<>(List.of(server.liveObjects()));
        for (TokenRequest.Source step : List.of(DemoRealm.clientCredentials(), signedRequests, DemoRealm.clientCredentials())) {
            phases.countingStsConnections(() -> load.send(n, clients, step)).errorKinds()
                    .forEach((kind, count) -> errorKinds.merge(kind, count, Long::sum));
            live.add(server.liveObjects());
        }
        List<Long> bytes = live.stream().map(ClassHistogram::totalBytes).toList();
        double controlPerRequest = ((bytes.get(1) - bytes.get(0)) + (bytes.get(3) - bytes.get(2))) / 2.0 / n;
        double awsPerRequest = (double) (bytes.get(2) - bytes.get(1)) / n;
        long[] lifespans = lifespansInDemoRealm(options.projectRoot());
        System.out.printf("%.0f bytes per outstanding request%n", awsPerRequest - controlPerRequest);
        return new Result(n, bytes, controlPerRequest, awsPerRequest, awsPerRequest - controlPerRequest,
                live.get(2).largestGrowthSince(live.get(1), 12), live.get(2).largestShrinkSince(live.get(1), 8), lifespans[0],
                lifespans[1], errorKinds.values().stream().mapToLong(Long::longValue).sum(), errorKinds);
    }

    /**
     * How long the replay guard remembers a signed request in the demo realm, in seconds, {usual,
     * longest}: until the request would be refused as too old anyway (X-Amz-Date plus the realm's
     * maxAgeSeconds), plus the guard's one-minute margin for the clocks of cluster nodes
     * (ReplayGuard.NODE_CLOCK_MARGIN); a request signed up to the allowed clock skew in the future
     * is remembered that much longer.
     */
    static long[] lifespansInDemoRealm(Path projectRoot) {
        try {
            JsonNode realm = new ObjectMapper().readTree(projectRoot.resolve("realm-export/demo-realm.json").toFile());
            // The realm's "aws-identity-settings" admin-console item; config values are lists.
            for (JsonNode item : realm.path("components").path("org.keycloak.services.ui.extend.UiPageProvider")) {
                if ("aws-identity-settings".equals(item.path("providerId").asText())) {
                    JsonNode settings = item.path("config");
                    long maxAge = settings.path("maxAgeSeconds").path(0).asLong(900);
                    return new long[] {maxAge + 60, maxAge + settings.path("clockSkewSeconds").path(0).asLong(300) + 60};
                }
            }
            throw new IllegalStateException("the demo realm has no aws-identity-settings item");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
