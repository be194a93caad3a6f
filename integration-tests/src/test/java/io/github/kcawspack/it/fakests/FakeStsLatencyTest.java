package io.github.kcawspack.it.fakests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake adds no latency of its own, so that the benchmark measures Keycloak: it answers many
 * requests side by side (the latency runs hold 64 at once, 50 ms each) rather than queueing
 * them, and sends each answer at once rather than after the client's delayed acknowledgement.
 */
class FakeStsLatencyTest {

    private static final int CLIENTS = 64;

    private final FakeSts sts = FakeSts.start()
            .registerRole("ASIAEXAMPLEROLEKEY01", "roleSecretKeyExample/abcdefghijklmnopqrstu", "token",
                    "123456789012", "deployer", "session-1", "AROAEXAMPLEID");
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

    @AfterEach
    void stop() {
        clients.shutdownNow();
        sts.close();
    }

    @Test
    void holdsSixtyFourAnswersBackAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        sts.setDefaultBehaviour(call -> {
            // Held until every client's request is inside the fake at the same time.
            awaitQuietly(release);
            return StsAnswer.respond(call.awsAnswer());
        });
        List<Future<RawHttpClient.Response>> responses = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            SignedStsRequest signed = AwsRequestSigner.forRegion("us-east-1")
                    .credentials("ASIAEXAMPLEROLEKEY01", "roleSecretKeyExample/abcdefghijklmnopqrstu", "token")
                    .signedHeader("amz-sdk-invocation-id", "client-" + i)
                    .sign();
            responses.add(clients.submit(() -> RawHttpClient.exchange(URI.create(sts.baseUrl()),
                    signed.toHttpRequest(), Duration.ofSeconds(60))));
        }

        Instant giveUp = Instant.now().plusSeconds(30);
        while (sts.inFlight() < CLIENTS && Instant.now().isBefore(giveUp)) {
            Thread.sleep(20);
        }
        int heldAtOnce = sts.inFlight();
        release.countDown();

        assertThat(heldAtOnce).isEqualTo(CLIENTS);
        for (Future<RawHttpClient.Response> response : responses) {
            assertThat(response.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(sts.peakInFlight()).isEqualTo(CLIENTS);
    }

    @Test
    void resetForgetsThePeak() throws Exception {
        RawHttpClient.Response response = RawHttpClient.exchange(URI.create(sts.baseUrl()),
                AwsRequestSigner.forRegion("us-east-1")
                        .credentials("ASIAEXAMPLEROLEKEY01", "roleSecretKeyExample/abcdefghijklmnopqrstu", "token")
                        .sign().toHttpRequest(), Duration.ofSeconds(10));

        assertThat(response.status()).isEqualTo(200);
        assertThat(sts.peakInFlight()).isEqualTo(1);
        assertThat(sts.reset().peakInFlight()).isZero();
    }

    @Test
    void answersWithoutWaitingForTheClientsAcknowledgement() {
        // Nagle's algorithm on would hold an answer's last segment for the client's delayed ACK (~40 ms).
        assertThat(sts.answersWithoutNagle()).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
