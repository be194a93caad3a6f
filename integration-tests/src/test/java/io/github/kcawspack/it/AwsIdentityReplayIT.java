package io.github.kcawspack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.admin.client.resource.UsersResource;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The single-use rule against the real server: a signed request is recorded as used only once
 * STS confirmed it, and of two uses of one signed request at the same moment exactly one wins.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityReplayIT {

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    private AwsWorkload workload;

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
    }

    @AfterEach
    void normalSts() {
        sts.setDefaultBehaviour(StsBehaviour.normal());
        sts.setLatency(Duration.ZERO);
    }

    @Test
    void aRequestForgedWithoutTheSecretLeavesNoSingleUseRecord() {
        // The deployer's access key id and token, but not its secret: STS refuses the signature.
        SignedStsRequest forged = workload.signer(AwsWorkload.DEPLOYER_KEY, "not/the/secret/EXAMPLEKEYEXAMPLEKEYEX",
                AwsWorkload.DEPLOYER_TOKEN).sign();
        long before = sts.requestCount();

        Answer first = workload.login(forged);
        Answer second = workload.login(forged);

        assertThat(first.text("error")).as(first.toString()).isEqualTo("invalid_grant");
        assertThat(second.text("error")).as(second.toString()).isEqualTo("invalid_grant");
        assertThat(sts.requestCount() - before)
                .as("the second use is judged by STS again, not refused as a replay of a recorded request").isEqualTo(2);
    }

    @Test
    void aRequestStsConfirmedStaysUsedWhenTheLoginFailsAfterwards() {
        // README's error table tells a client refused after STS's confirmation (a 503 from the user
        // step, here a disabled user) to sign a new request: the confirmed one may not come back.
        assertThat(workload.login(workload.deployer().sign()).status()).as("provisions the user").isEqualTo(200);
        UsersResource users = server.admin().realm(DemoRealm.REALM).users();
        UserResource user = users.get(users.searchByUsername("aws-role-deployer-" + AwsWorkload.ACCOUNT, true).get(0).getId());
        SignedStsRequest signed = workload.deployer().sign();
        setEnabled(user, false);
        Answer refused;
        try {
            refused = workload.login(signed);
        } finally {
            setEnabled(user, true);
        }
        long before = sts.requestCount();

        Answer again = workload.login(signed);

        assertThat(refused.text("error")).as(refused.toString()).isEqualTo("invalid_grant");
        assertThat(again.text("error")).as(again.toString()).isEqualTo("invalid_grant");
        assertThat(again.text("error_description")).contains("already used");
        assertThat(sts.requestCount() - before).as("refused before STS is asked again").isZero();
    }

    private static void setEnabled(UserResource user, boolean enabled) {
        UserRepresentation representation = user.toRepresentation();
        representation.setEnabled(enabled);
        user.update(representation);
    }

    @Test
    void aRequestStsCouldNotJudgeMayBeSentAgain() {
        SignedStsRequest signed = workload.deployer().sign();
        sts.enqueue(StsBehaviour.internalFailure());

        Answer outage = workload.login(signed);
        Answer retry = workload.login(signed);

        assertThat(outage.status()).as(outage.toString()).isEqualTo(503);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(workload.login(signed).text("error")).as("confirmed once, then single use").isEqualTo("invalid_grant");
    }

    @Test
    void ofTwoConcurrentUsesOfOneSignedRequestExactlyOneWins() throws Exception {
        SignedStsRequest signed = workload.deployer().sign();
        sts.setLatency(Duration.ofMillis(400));
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Answer>> uses = List.of(
                    CompletableFuture.supplyAsync(() -> awaitThenLogin(start, signed), clients),
                    CompletableFuture.supplyAsync(() -> awaitThenLogin(start, signed), clients));
            start.countDown();
            List<Answer> answers = uses.stream().map(CompletableFuture::join).toList();

            assertThat(answers).extracting(Answer::status).as(answers.toString()).containsExactlyInAnyOrder(200, 400);
            assertThat(answers).filteredOn(a -> a.status() == 400).extracting(a -> a.text("error"))
                    .containsExactly("invalid_grant");
        } finally {
            clients.shutdownNow();
        }
    }

    private Answer awaitThenLogin(CountDownLatch start, SignedStsRequest signed) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return workload.login(signed);
    }
}
