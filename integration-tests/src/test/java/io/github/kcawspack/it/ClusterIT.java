package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.harness.KeycloakCluster;
import io.github.kcawspack.it.harness.KeycloakClusterExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.ClientsResource;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

/**
 * The pack on two Keycloak nodes clustered as README's "Running clustered" describes: production
 * mode, one PostgreSQL, Keycloak's default embedded Infinispan cluster, the same hostname. What
 * one node did, the other knows; and one node going away does not disturb the other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    @RegisterExtension
    static final KeycloakClusterExtension twoNodes = new KeycloakClusterExtension();

    private static final String TESTCLIENT_BASIC = TESTCLIENT + ":" + TESTCLIENT_SECRET;

    private static KeycloakCluster cluster;
    private static FakeSts sts;
    private static KeycloakServer nodeA;
    private static KeycloakServer nodeB;
    private static AwsWorkload workloadOnA;
    private static AwsWorkload workloadOnB;

    @BeforeAll
    static void bothNodesAreMembersOfOneCluster() {
        cluster = twoNodes.cluster();
        nodeA = cluster.nodeA();
        nodeB = cluster.nodeB();
        sts = twoNodes.sts();
        workloadOnA = new AwsWorkload(nodeA, sts);
        workloadOnB = new AwsWorkload(nodeB, sts);
        // Two nodes that never clustered would still share the database, and the tests below
        // would fail for reasons far from their names: say so first.
        assertThat(KeycloakCluster.membersSeenBy(nodeA)).as("cluster members node A counts").isEqualTo(2);
        assertThat(KeycloakCluster.membersSeenBy(nodeB)).as("cluster members node B counts").isEqualTo(2);
    }

    @Test
    @Order(1)
    void aSignedRequestNodeAAcceptedIsRefusedByNodeBAsAReplay() {
        SignedStsRequest signed = signedForTheCluster();
        assertThat(workloadOnA.login(signed).status()).isEqualTo(200);
        long stsCalls = sts.requestCount();

        Answer replay = workloadOnB.login(signed);

        assertThat(replay.status()).as(replay.toString()).isEqualTo(400);
        assertThat(replay.text("error")).isEqualTo("invalid_grant");
        assertThat(replay.text("error_description")).contains("already used");
        assertThat(sts.requestCount()).as("a replay is refused before STS").isEqualTo(stsCalls);
        Answer fresh = workloadOnB.login(signedForTheCluster());
        assertThat(fresh.status()).as("node B accepts a request that is new to the cluster: " + fresh).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aTokenFromNodeAIsActiveWhenNodeBIntrospectsIt() {
        // Keycloak answers an introspection only to a client in the token's audience: api-client
        // plays the resource server that testclient's tokens are meant for.
        ClientsResource clients = nodeA.admin().realm(REALM).clients();
        ProtocolMapperRepresentation audience = new ProtocolMapperRepresentation();
        audience.setName("audience " + API_CLIENT);
        audience.setProtocol("openid-connect");
        audience.setProtocolMapper("oidc-audience-mapper");
        audience.setConfig(Map.of(
                "included.client.audience", API_CLIENT,
                "access.token.claim", "true",
                "introspection.token.claim", "true"));
        try (var created = clients.get(clients.findByClientId(TESTCLIENT).get(0).getId())
                .getProtocolMappers().createMapper(audience)) {
            CreatedResponseUtil.getCreatedId(created);
        }
        Answer login = nodeA.oauth(REALM).token(
                form("grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD), TESTCLIENT_BASIC);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);

        Answer introspection = nodeB.oauth(REALM)
                .introspect(login.text("access_token"), API_CLIENT + ":" + API_CLIENT_SECRET);

        assertThat(introspection.status()).isEqualTo(200);
        assertThat(introspection.json().get("active").asBoolean()).as(introspection.toString()).isTrue();
        assertThat(introspection.text("username")).isEqualTo(ALICE);
        assertThat(introspection.text("client_id")).isEqualTo(TESTCLIENT);
        assertThat(introspection.text("iss")).isEqualTo(cluster.realmIssuer(REALM));
    }

    /** Last: node A stays stopped. */
    @Test
    @Order(3)
    void nodeBServesEveryRequestWhileNodeAIsStoppedUnderLoad() {
        OAuthClient onB = nodeB.oauth(REALM);
        Map<String, Long> servedWhileAlone;
        List<RequestLoop.Outcome> failures;
        try (RequestLoop load = RequestLoop.start(Map.of(
                "client_credentials", () -> onB.token(form("grant_type", "client_credentials"), TESTCLIENT_BASIC),
                "password", () -> onB.token(form("grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD),
                        TESTCLIENT_BASIC),
                "aws_identity", () -> workloadOnB.login(signedForTheCluster())))) {
            load.awaitSuccessesSince(Instant.EPOCH, 10, Duration.ofMinutes(1));
            assertThat(load.failures()).as("failures on node B before node A stopped").isEmpty();

            cluster.stop(nodeA);
            cluster.awaitMembers(nodeB, 1, Duration.ofMinutes(1));
            Instant alone = Instant.now();
            load.awaitSuccessesSince(alone, 10, Duration.ofMinutes(1));

            servedWhileAlone = load.successesSince(alone);
            failures = load.failures();
        }
        assertThat(failures).as("requests node B failed while node A stopped").isEmpty();
        assertThat(servedWhileAlone).as("requests node B served after it found itself alone")
                .containsOnlyKeys("client_credentials", "password", "aws_identity")
                .allSatisfy((kind, served) -> assertThat(served).isGreaterThanOrEqualTo(10));
    }

    /** Every node's issuer is the cluster's public URL: that is the audience a workload signs for. */
    private static SignedStsRequest signedForTheCluster() {
        return workloadOnA.deployer().audience(cluster.realmIssuer(REALM)).sign();
    }
}
