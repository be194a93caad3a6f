package io.github.kcawspack.bench;

import io.github.kcawspack.it.FakeAwsTokenIssuer;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.harness.OAuthClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Single-use aws_identity or jwt-bearer (RFC 7523) requests, signed ahead so that client-side
 * signing is not measured, each handed out once (a second use is a replay) and while fresh. If the
 * pool runs dry, a worker signs for itself, and the phase counts it.
 */
final class RequestPool implements Load.Source {

    /** Well inside the realm's 15-minute maximum age of a signed request and the tokens' 15-minute lifetime. */
    static final Duration USABLE_FOR = Duration.ofMinutes(10);
    /** Lifetime of the JWTs minted here: AWS allows 60 s to 1 h; more than {@link #USABLE_FOR}. */
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
    static final String ACCOUNT = "123456789012";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEbenchSESSIONtoken";

    private record Signed(Load.Request request, long signedAtNanos) {
    }

    private final String what;
    private final int principals;
    private final IntFunction<Load.Request> signer;
    /** Oldest first; its size is a counter, not a walk. */
    private final BlockingQueue<Signed> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong signedByWorkers = new AtomicLong();

    /** {@code signer}: a fresh request of principal n (from 0; any int, taken modulo {@code principals}). */
    private RequestPool(String what, int principals, IntFunction<Load.Request> signer) {
        this.what = what;
        this.principals = principals;
        this.signer = index -> signer.apply(Math.floorMod(index, principals));
    }

    /**
     * aws_identity requests of {@code principals} roles, registered in the server's fake STS. SigV4
     * is deterministic: requests signed in the same second would be one request, and all but the
     * first replays. Like the AWS SDKs, a random invocation id, signed, makes each one unique.
     */
    static RequestPool awsIdentity(BenchServer server, int principals) {
        String[] keys = IntStream.rangeClosed(1, principals).mapToObj(i -> String.format("%04d", i)).toArray(String[]::new);
        for (String number : keys) {
            server.sts().registerRole("ASIABENCHWORKLOAD" + number, "bench/secret/" + number, SESSION_TOKEN + number,
                    ACCOUNT, "bench-workload-" + number, "bench-session-" + number, "AROABENCHWORKLOAD" + number);
        }
        return new RequestPool("aws_identity requests", principals, index -> {
            Map<String, String> form = OAuthClient.form("grant_type", BenchServer.AWS_IDENTITY, "client_id", BenchServer.AWS_WORKLOAD);
            form.putAll(AwsRequestSigner.forRegion("us-east-1").credentials("ASIABENCHWORKLOAD" + keys[index],
                    "bench/secret/" + keys[index], SESSION_TOKEN + keys[index]).audience(server.realmUrl())
                    .signedHeader("amz-sdk-invocation-id", UUID.randomUUID().toString()).sign().grantParameters());
            return Load.Request.of(form, BenchServer.AWS_WORKLOAD, null);
        });
    }

    /**
     * jwt-bearer requests of {@code principals} roles ({@code bench-jwt-rs256-0001}, ...: other
     * roles than aws_identity's, whose users' links record a unique id that this path cannot
     * verify), each token as STS GetWebIdentityToken issues it, for the realm as audience.
     */
    static RequestPool jwtBearer(BenchServer server, int principals, boolean es384) {
        String algorithm = es384 ? "ES384" : "RS256";
        return new RequestPool("jwt-bearer " + algorithm + " tokens", principals, index -> {
            FakeAwsTokenIssuer.Token token = server.jwtIssuer().token(ACCOUNT, String.format("bench-jwt-%s-%04d",
                    algorithm.toLowerCase(Locale.ROOT), index + 1), server.realmUrl()).lifetime(TOKEN_LIFETIME);
            return Load.Request.of(Map.of("grant_type", BenchServer.JWT_BEARER, "client_id",
                    BenchServer.AWS_WORKLOAD, "assertion", (es384 ? token.es384() : token).serialize()), BenchServer.AWS_WORKLOAD, null);
        });
    }

    /** Logs each principal in once, so that their users exist before load: first logins are not the steady state. */
    RequestPool logInEachOnce(Load load) throws IOException, InterruptedException {
        for (int i = 0; i < principals; i++) {
            load.obtain(signer.apply(i));
        }
        return this;
    }

    /** Signs until {@code count} fresh requests are ready, on every core (before a phase, not during). */
    void fillTo(int count) {
        dropStale();
        int missing = count - ready.size();
        if (missing > 0) {
            long start = System.nanoTime();
            IntStream.range(0, missing).parallel().forEach(i -> ready.add(sign()));
            System.out.printf("  signed %d %s ahead in %.1f s%n", missing, what, (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * For runs longer than requests stay fresh (the warm-up, the soak): a background thread tops
     * the pool up to {@code target} whenever it is at most half full, signing on one core while load runs.
     */
    AutoCloseable keepFilled(int target) {
        return Load.daemon("signed-request-refill", () -> {
            while (!Thread.currentThread().isInterrupted()) {
                dropStale();
                if (ready.size() <= target / 2) {
                    IntStream.range(ready.size(), target).forEach(i -> ready.add(sign()));
                }
                LockSupport.parkNanos(100_000_000); // returns at once when closed (interrupted)
            }
        })::interrupt;
    }

    /** Requests workers had to sign during load because the pool was empty. */
    long signedByWorkers() {
        return signedByWorkers.get();
    }

    @Override
    public Load.Request next(int worker) {
        dropStale();
        Signed signed = ready.poll();
        if (signed != null) {
            return signed.request();
        }
        signedByWorkers.incrementAndGet();
        return sign().request();
    }

    private void dropStale() {
        long oldestUsable = System.nanoTime() - USABLE_FOR.toNanos();
        // signed in order (roughly, in parallel), so the stale ones are at the head
        for (Signed head; (head = ready.peek()) != null && head.signedAtNanos() - oldestUsable < 0; ) {
            ready.remove(head);
        }
    }

    private Signed sign() {
        long signedAt = System.nanoTime();
        return new Signed(signer.apply(next.getAndIncrement()), signedAt);
    }
}
