package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.fakests.StsAnswer;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
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
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet that scales out logs in with one new role many times at once: every first login races
 * to create the same user. Found by the benchmark, where the losers got Keycloak's generic
 * {@code 409 conflict} (or, when H2 gave up waiting for the winner's insert, {@code 500}), which
 * no OAuth2 client knows to retry.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityConcurrentFirstLoginIT {

    private static final int FLEET = 12;
    private static final String KEY = "ASIAFLEETSCALINGOUT1";
    private static final String SECRET = "fleet/secret/EXAMPLEKEYEXAMPLEKEYEXAM";
    private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEfleetSESSIONtoken";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService fleet = Executors.newFixedThreadPool(FLEET);
    private FakeSts sts;

    @AfterEach
    void restore() {
        fleet.shutdownNow();
        sts.setDefaultBehaviour(StsBehaviour.normal());
    }

    @Test
    void losersOfTheRaceToCreateTheUserAreToldToTryAgain(KeycloakServer server, FakeSts fakeSts) throws Exception {
        sts = fakeSts;
        AwsWorkload workload = new AwsWorkload(server, sts);
        sts.registerRole(KEY, SECRET, TOKEN, AwsWorkload.ACCOUNT, "fleet-scaling-out", "instance-1", "AROAFLEETSCALINGOUT1");
        // STS holds every answer until the whole fleet is waiting, so that all first logins reach
        // the user mapping together.
        CountDownLatch allWaiting = new CountDownLatch(1);
        sts.setDefaultBehaviour(call -> {
            try {
                allWaiting.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StsAnswer.respond(call.awsAnswer());
        });

        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < FLEET; i++) {
            SignedStsRequest signed = workload.signer(KEY, SECRET, TOKEN).sign();
            answers.add(fleet.submit(() -> workload.login(signed)));
        }
        Instant giveUp = Instant.now().plusSeconds(60);
        while (sts.inFlight() < FLEET && Instant.now().isBefore(giveUp)) {
            Thread.sleep(20);
        }
        allWaiting.countDown();

        int tokens = 0;
        for (Future<Answer> future : answers) {
            Answer answer = future.get(60, TimeUnit.SECONDS);
            if (answer.status() == 200) {
                tokens++;
            } else {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
                assertThat(answer.text("error")).isEqualTo("temporarily_unavailable");
                assertThat(answer.text("error_description")).contains("try again");
            }
        }
        assertThat(tokens).as("the winner of the race gets its token").isGreaterThanOrEqualTo(1);

        sts.setDefaultBehaviour(StsBehaviour.normal());
        Answer retry = workload.login(workload.signer(KEY, SECRET, TOKEN).sign());
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(server.admin().realm(REALM).users().searchByUsername("aws-role-fleet-scaling-out-" + AwsWorkload.ACCOUNT, true))
                .as("the winner's user was kept").hasSize(1);
    }
}
