package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * A fleet that scales out logs in with one role many times at once: every first login races to
 * create the same user, and every later login to give the user what its binding gives. Found by the benchmark, where the losers got Keycloak's generic
 * {@code 409 conflict} (or, when H2 gave up waiting for the winner's insert, {@code 500}), which
 * no OAuth2 client knows to retry.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityConcurrentFirstLoginIT {

    private static final int FLEET = 12;
    private static final String KEY = "ASIAFLEETSCALINGOUT1";
    private static final String SECRET = "fleet/secret/EXAMPLEKEYEXAMPLEKEYEXAM";
    private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEfleetSESSIONtoken";
    private static final String STAFF_KEY = "ASIASTAFFFLEETEXMPL1";
    private static final String STAFF_SECRET = "staff/fleet/secret/EXAMPLEKEYEXAMPLEKEY";
    private static final String STAFF_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEstaffFLEETtoken";
    /** Races per test run: one race does not always make two inserts meet. */
    private static final int ROUNDS = 3;

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

        int tokens = raceLogins(workload, KEY, SECRET, TOKEN);
        assertThat(tokens).as("the winner of the race gets its token").isGreaterThanOrEqualTo(1);

        Answer retry = workload.login(workload.signer(KEY, SECRET, TOKEN).sign());
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(server.admin().realm(REALM).users().searchByUsername("aws-role-fleet-scaling-out-" + AwsWorkload.ACCOUNT, true))
                .as("the winner's user was kept").hasSize(1);
    }

    /**
     * The same fleet, its user already there, after an administrator took away the role and group
     * its binding (demo realm: "staff roles", group /staff, realm role writer) gives: every login
     * gives them back at once, and all but one find the other's membership row in the way. Before
     * the pack caught that, the losers got Keycloak's {@code 409 conflict} (not an RFC 6749 error).
     */
    @Test
    void loginsRacingToGiveBackTheBindingsRoleAndGroupAreToldToTryAgain(KeycloakServer server, FakeSts fakeSts) throws Exception {
        sts = fakeSts;
        AwsWorkload workload = new AwsWorkload(server, sts);
        sts.registerRole(STAFF_KEY, STAFF_SECRET, STAFF_TOKEN, AwsWorkload.ACCOUNT, "staff-fleet", "instance-1", "AROASTAFFFLEETEXMPL1");
        Answer first = workload.login(workload.signer(STAFF_KEY, STAFF_SECRET, STAFF_TOKEN).sign());
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        RealmResource realm = server.admin().realm(REALM);
        UserResource user = realm.users().get(realm.users().searchByUsername("aws-role-staff-fleet-" + AwsWorkload.ACCOUNT, true)
                .get(0).getId());
        for (int round = 0; round < ROUNDS; round++) {
            user.roles().realmLevel().remove(List.of(realm.roles().get("writer").toRepresentation()));
            user.leaveGroup(realm.getGroupByPath("staff").getId());

            int tokens = raceLogins(workload, STAFF_KEY, STAFF_SECRET, STAFF_TOKEN);

            assertThat(tokens).as("round %d: at least one login gives the role back and gets its token", round)
                    .isGreaterThanOrEqualTo(1);
            assertThat(user.roles().realmLevel().listEffective()).extracting(RoleRepresentation::getName).contains("writer");
            assertThat(user.groups()).extracting(GroupRepresentation::getPath).containsExactly("/staff");
        }
    }

    /**
     * {@value #FLEET} logins of one principal at once: STS holds every answer until the whole
     * fleet is waiting, so that all of them reach the user mapping together. Each answer is a token
     * or RFC 6749's "try again" (503 temporarily_unavailable) telling the client to sign a new
     * request, nothing else; the first such request, sent again, is refused as used.
     *
     * @return how many logins got a token
     */
    private int raceLogins(AwsWorkload workload, String key, String secret, String token) throws Exception {
        CountDownLatch allWaiting = new CountDownLatch(1);
        sts.setDefaultBehaviour(call -> {
            try {
                allWaiting.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StsAnswer.respond(call.awsAnswer());
        });
        try {
            List<SignedStsRequest> requests = new ArrayList<>();
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < FLEET; i++) {
                SignedStsRequest signed = workload.signer(key, secret, token).sign();
                requests.add(signed);
                answers.add(fleet.submit(() -> workload.login(signed)));
            }
            Instant giveUp = Instant.now().plusSeconds(60);
            while (sts.inFlight() < FLEET && Instant.now().isBefore(giveUp)) {
                Thread.sleep(20);
            }
            allWaiting.countDown();

            int tokens = 0;
            boolean resent = false;
            for (int i = 0; i < FLEET; i++) {
                Answer answer = answers.get(i).get(60, TimeUnit.SECONDS);
                if (answer.status() == 200) {
                    tokens++;
                } else {
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
                    assertThat(answer.text("error")).isEqualTo("temporarily_unavailable");
                    assertThat(answer.text("error_description")).contains("sign a new request and try again");
                    if (!resent) {
                        // STS confirmed this request before the user step failed: it counts as used,
                        // so a client that retries must sign again, as the description says.
                        Answer again = workload.login(requests.get(i));
                        assertThat(again.status()).as(again.toString()).isEqualTo(400);
                        assertThat(again.text("error")).isEqualTo("invalid_grant");
                        assertThat(again.text("error_description")).contains("already used");
                        resent = true;
                    }
                }
            }
            return tokens;
        } finally {
            allWaiting.countDown();
            sts.setDefaultBehaviour(StsBehaviour.normal());
        }
    }
}
