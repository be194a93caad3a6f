package io.github.kcawspack.bench;

import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * aws_identity requests of a fleet of AWS workloads, signed ahead of time so that the client's
 * SigV4 signing is not part of what a phase measures. The fleet: {@code count} IAM roles of
 * account 123456789012 (which the demo realm's bindings admit, creating a user per role on first
 * login), registered in the fake STS, each signing sts:GetCallerIdentity for the demo realm with
 * the AWS SDK's SigV4 signer.
 *
 * <p>Each request is used once (a second use is a replay, refused), and only while fresh:
 * Keycloak refuses requests older than the realm's maximum age (15 minutes in the demo realm), so
 * the pool never hands out one older than {@link #USABLE_FOR}. If the pool runs dry, a worker
 * signs for itself and the phase reports how often that happened.
 */
final class SignedRequestPool implements TokenRequest.Source {

    /** Well inside the 15-minute maximum age, whatever the clocks and rounding to seconds do. */
    static final Duration USABLE_FOR = Duration.ofMinutes(10);

    private record Signed(TokenRequest request, long signedAtNanos) {
    }

    private final String audience;
    private final String[] accessKeys;
    /** Oldest first; its size is a counter, not a walk. */
    private final BlockingQueue<Signed> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger nextWorkload = new AtomicInteger();
    private final AtomicLong signedByWorkers = new AtomicLong();

    SignedRequestPool(FakeSts sts, String realmUrl, int count) {
        this.audience = realmUrl;
        this.accessKeys = new String[count];
        for (int i = 0; i < count; i++) {
            String number = String.format("%04d", i + 1);
            accessKeys[i] = "ASIABENCHWORKLOAD" + number;
            sts.registerRole(accessKeys[i], secretOf(accessKeys[i]), tokenOf(accessKeys[i]), "123456789012",
                    "bench-workload-" + number, "bench-session-" + number, "AROABENCHWORKLOAD" + number);
        }
    }

    /**
     * Logs each workload in once, one after the other, so that their users exist before load: a
     * fleet's first logins are a separate event (see AwsIdentityConcurrentFirstLoginIT), not the
     * steady state the benchmark measures.
     */
    void logInEachOnce(TokenEndpoint endpoint) {
        for (int i = 0; i < accessKeys.length; i++) {
            endpoint.obtain(signedRequest(i));
        }
    }

    /** Signs until {@code count} fresh requests are ready, on every core (before a phase, not during). */
    void fillTo(int count) {
        dropStale();
        int missing = count - ready.size();
        if (missing > 0) {
            long start = System.nanoTime();
            IntStream.range(0, missing).parallel().forEach(i -> ready.add(sign()));
            System.out.printf("  signed %d aws_identity requests ahead in %.1f s%n", missing, (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * For runs longer than requests stay fresh (the soak): a background thread tops the pool up
     * to {@code target} whenever it is below half of it, signing on one core while load runs.
     */
    AutoCloseable keepFilled(int target) {
        Thread refill = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                dropStale();
                while (ready.size() < target) {
                    ready.add(sign());
                }
                try {
                    do {
                        Thread.sleep(100);
                    } while (ready.size() > target / 2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "signed-request-refill");
        refill.setDaemon(true);
        refill.start();
        return refill::interrupt;
    }

    /** Requests workers had to sign during load because the pool was empty. */
    long signedByWorkers() {
        return signedByWorkers.get();
    }

    @Override
    public TokenRequest next(int worker) {
        long oldestUsable = System.nanoTime() - USABLE_FOR.toNanos();
        for (Signed signed; (signed = ready.poll()) != null; ) {
            if (signed.signedAtNanos() - oldestUsable >= 0) {
                return signed.request();
            }
        }
        signedByWorkers.incrementAndGet();
        return sign().request();
    }

    private void dropStale() {
        long oldestUsable = System.nanoTime() - USABLE_FOR.toNanos();
        // Signed in order, so the stale ones are at the head.
        for (Signed head; (head = ready.peek()) != null && head.signedAtNanos() - oldestUsable < 0; ) {
            ready.remove(head);
        }
    }

    private Signed sign() {
        long signedAt = System.nanoTime();
        return new Signed(signedRequest(nextWorkload.getAndIncrement()), signedAt);
    }

    /**
     * A grant request signed now by workload {@code index}. SigV4 is deterministic: requests
     * signed in the same second would be one request, and all but the first replays. Like the AWS
     * SDKs, a random invocation id, signed, makes each one unique.
     */
    private TokenRequest signedRequest(int index) {
        String key = accessKeys[Math.floorMod(index, accessKeys.length)];
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", Grant.AWS_IDENTITY.wireName());
        form.put("client_id", DemoRealm.AWS_WORKLOAD);
        form.putAll(AwsRequestSigner.forRegion("us-east-1").credentials(key, secretOf(key), tokenOf(key)).audience(audience)
                .signedHeader("amz-sdk-invocation-id", UUID.randomUUID().toString()).sign().grantParameters());
        return TokenRequest.of(form, DemoRealm.AWS_WORKLOAD, null);
    }

    private static String secretOf(String accessKey) {
        return "bench/secret/" + accessKey;
    }

    private static String tokenOf(String accessKey) {
        return "IQoJb3JpZ2luX2VjEXAMPLEbenchSESSIONtoken" + accessKey;
    }
}
