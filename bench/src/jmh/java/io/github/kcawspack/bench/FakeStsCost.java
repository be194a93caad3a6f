package io.github.kcawspack.bench;

import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.RawHttpClient;
import io.github.kcawspack.it.fakests.ReceivedRequest;
import io.github.kcawspack.it.fakests.SigV4Verifier;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.fakests.SigningCredentials;
import io.github.kcawspack.it.fakests.VerificationResult;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH ({@code bin/bench --jmh FakeStsCost}): what the fake STS costs the bench's JVM per
 * aws_identity request, the work real STS does on AWS's machines and the fake does on the
 * benchmark's own cores. {@code verify}: {@link SigV4Verifier} on a GetCallerIdentity request
 * signed as the bench signs it (a session token, the audience header, an invocation id), the
 * signature computed again with the AWS SDK's SigV4 code and compared; {@code roundTrip}: one
 * request over a kept-alive connection to a running {@link FakeSts} and its answer read back, on
 * one thread: the verification, the answer and the fake's HTTP server (Jetty, whose selector thread
 * runs on the same cores in the load benchmark).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FakeStsCost {

    private static final String ACCESS_KEY = "ASIABENCHWORKLOAD0001";
    private static final String SECRET = "bench/secret/" + ACCESS_KEY;
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEbenchSESSIONtoken" + ACCESS_KEY;
    private static final String AUDIENCE = "http://localhost:8080/realms/demo";
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private SigV4Verifier verifier;
    private ReceivedRequest received;
    private FakeSts sts;
    private RawHttpClient connection;
    private RawHttpClient.Request request;

    @Setup(Level.Trial)
    public void signAndStart() throws IOException {
        verifier = new SigV4Verifier(key -> key.equals(ACCESS_KEY)
                ? Optional.of(SigningCredentials.temporary(SECRET, SESSION_TOKEN)) : Optional.empty(), "sts");
        received = asReceived(signed(Clock.fixed(NOW, ZoneOffset.UTC)));
        sts = FakeSts.start().registerRole(ACCESS_KEY, SECRET, SESSION_TOKEN, RequestPool.ACCOUNT, "bench-workload-0001",
                "bench-session-0001", "AROABENCHWORKLOAD0001");
        // Signed now: the fake checks X-Amz-Date against its clock (15 minutes either way), and
        // answers the same request as often as it comes, as STS does (Keycloak is what refuses replays).
        request = signed(Clock.systemUTC()).toHttpRequest();
        connection = new RawHttpClient(URI.create(sts.baseUrl()), Duration.ofSeconds(10));
        // fail here, not in the measurement, if either path refuses the request
        if (!verify().isOk() || roundTrip() != 200) {
            throw new IllegalStateException("the fake STS refused the benchmark's request: " + verify());
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        connection.close();
        sts.close();
    }

    @Benchmark
    public VerificationResult verify() {
        return verifier.verify(received, NOW);
    }

    @Benchmark
    public int roundTrip() throws IOException {
        return connection.send(request).status();
    }

    /**
     * The same two paths measured by CPU time instead of elapsed time, which on a machine busy
     * with other work (elapsed time then measures the scheduler) stays close to the work done:
     * {@code verify}, this thread's CPU per call; {@code roundTrip}, the whole JVM's CPU per
     * request (the fake's HTTP server threads, and GC) minus this thread's own
     * (the client). Prints microseconds per request; arguments: calls per path (default 200000).
     */
    public static void main(String[] args) throws IOException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        FakeStsCost cost = new FakeStsCost();
        cost.signAndStart();
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            OperatingSystemMXBean process = (OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean();
            for (int round = 0; round < 2; round++) { // the first round warms the JIT compiler up
                // In 20 slices: the fastest slice is the one other processes disturbed least.
                double[] slices = new double[20];
                for (int slice = 0; slice < slices.length; slice++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < calls / slices.length; i++) {
                        cost.verify();
                    }
                    slices[slice] = (threads.getCurrentThreadCpuTime() - start) / 1e3 / (calls / slices.length);
                }
                Arrays.sort(slices);
                String verifyMicros = String.format("%.1f (fastest slice; median %.1f)", slices[0], slices[slices.length / 2]);
                int roundTrips = calls / 10;
                Map<String, Long> groupsBefore = cpuByThreadGroup(threads);
                long all = process.getProcessCpuTime();
                long thread = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < roundTrips; i++) {
                    cost.roundTrip();
                }
                long client = threads.getCurrentThreadCpuTime() - thread;
                double fakeMicros = (process.getProcessCpuTime() - all - client) / 1e3 / roundTrips;
                System.out.printf("%s: verify %s us CPU per call; round trip: the fake %.1f us CPU per request"
                        + " (the client %.1f), by thread:%n", round == 0 ? "warm-up " : "measured", verifyMicros, fakeMicros,
                        client / 1e3 / roundTrips);
                cpuByThreadGroup(threads).forEach((group, nanos) -> System.out.printf("    %s %.1f us%n", group,
                        (nanos - groupsBefore.getOrDefault(group, 0L)) / 1e3 / roundTrips));
            }
        } finally {
            cost.stop();
        }
    }

    /** CPU nanoseconds of this JVM's threads so far, by name without its number ("fake-sts", "fake-sts-timer"). */
    private static Map<String, Long> cpuByThreadGroup(ThreadMXBean threads) {
        Map<String, Long> groups = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                groups.merge(info.getThreadName().replaceAll("[-0-9]+$", ""), threads.getThreadCpuTime(info.getThreadId()),
                        Long::sum);
            }
        }
        return groups;
    }

    private static SignedStsRequest signed(Clock clock) {
        return AwsRequestSigner.forRegion("us-east-1").credentials(ACCESS_KEY, SECRET, SESSION_TOKEN).audience(AUDIENCE)
                .signedHeader("amz-sdk-invocation-id", UUID.randomUUID().toString()).clock(clock).sign();
    }

    /** The request as the fake's HTTP server hands it over: what Keycloak forwards, Content-Length added. */
    private static ReceivedRequest asReceived(SignedStsRequest signed) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.headers().forEach((name, value) -> headers.put(name, new ArrayList<>(List.of(value))));
        byte[] body = signed.postBody().getBytes(StandardCharsets.UTF_8);
        headers.put("Content-Length", List.of(String.valueOf(body.length)));
        return new ReceivedRequest("POST", "/", null, headers, body);
    }
}
