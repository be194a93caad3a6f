package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.SignedStsRequest;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * grant_type=aws_identity against the real Keycloak, with AWS STS played by the fake, which
 * checks every forwarded signature as AWS does. A workload signs with the AWS SDK for Java v2.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityGrantIT {

    private static final String ACCOUNT = AwsWorkload.ACCOUNT;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    @Injected
    OAuthClient oauth;
    @Injected
    TokenVerifier tokens;
    private AwsWorkload workload;

    @BeforeEach
    void connect() {
        workload = new AwsWorkload(server, sts);
    }

    @BeforeEach
    void normalSts() {
        sts.setDefaultBehaviour(StsBehaviour.normal());
    }

    @Test
    void aRoleSignedWithTheJavaSdkGetsATokenNamingItsRole() throws Exception {
        long verifiedBefore = sts.verifiedCount();

        Answer answer = login(deployer().sign());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.text("refresh_token")).as("aws-workload does not use refresh tokens").isNull();
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("azp")).isEqualTo(AwsWorkload.CLIENT);
        assertThat(claims.getStringClaim("aws_arn")).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/deployer");
        assertThat(claims.getStringClaim("aws_account")).isEqualTo(ACCOUNT);
        assertThat(sts.verifiedCount()).as("STS verified the forwarded signature").isEqualTo(verifiedBefore + 1);
    }

    @Test
    void theProvisionedUserIsLinkedToItsPrincipalAndKeepsNoSession() {
        Answer answer = login(deployer().sign());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        RealmResource demo = server.admin().realm(REALM);

        List<UserRepresentation> users = demo.users().searchByUsername("aws-role-deployer-" + ACCOUNT, true);
        assertThat(users).hasSize(1);
        UserResource user = demo.users().get(users.get(0).getId());
        List<FederatedIdentityRepresentation> links = user.getFederatedIdentity();
        assertThat(links).as("one link, to the role, recording the unique id it was linked with").hasSize(1);
        FederatedIdentityRepresentation link = links.get(0);
        assertThat(link.getIdentityProvider()).isEqualTo("aws");
        assertThat(link.getUserId()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/deployer");
        assertThat(link.getUserName()).isEqualTo("AROADEPLOYEREXAMPLE1");
        Map<String, List<String>> attributes = users.get(0).getAttributes() == null ? Map.of() : users.get(0).getAttributes();
        assertThat(attributes).as("an attribute is never the link").doesNotContainKey("aws_arn");
        assertThat(attributes).as("the session name is never stored as identity").doesNotContainKey("aws_session_name");

        assertThat(user.getUserSessions()).as("a login without refresh token leaves no user session behind").isEmpty();
    }

    @Test
    void aSignedRequestWorksOnce() {
        SignedStsRequest signed = deployer().sign();
        assertThat(login(signed).status()).isEqualTo(200);
        long stsCalls = sts.requestCount();

        Answer replay = login(signed);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.text("error")).isEqualTo("invalid_grant");
        assertThat(sts.requestCount()).as("a replay is refused before STS").isEqualTo(stsCalls);
    }

    @Test
    void aRequestSignedForAnotherRealmIsRefusedBeforeSts() {
        long stsCalls = sts.requestCount();

        Answer answer = login(deployer().audience(server.realmUrl("master")).sign());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(sts.requestCount()).isEqualTo(stsCalls);
    }

    @Test
    void aStaleRequestIsRefusedBeforeSts() {
        long stsCalls = sts.requestCount();
        Clock twentyMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC);

        Answer answer = login(deployer().clock(twentyMinutesAgo).sign());

        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(sts.requestCount()).isEqualTo(stsCalls);
    }

    @Test
    void aRegionThatIsNotARegionIsInvalidRequest() {
        Map<String, String> parameters = new LinkedHashMap<>(deployer().sign().grantParameters());
        parameters.put("region", "us-east-1.attacker.example");
        long stsCalls = sts.requestCount();

        Answer answer = oauth.token(withClient(parameters));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_request");
        assertThat(sts.requestCount()).isEqualTo(stsCalls);
    }

    @Test
    void aSignatureStsRejectsIsInvalidGrantAndStsWordsStayInside() throws Exception {
        Map<String, String> parameters = new LinkedHashMap<>(deployer().sign().grantParameters());
        // One second off: every local check still passes, only the signature (STS's check) fails.
        ObjectNode headers = (ObjectNode) JSON.readTree(parameters.get("headers_json"));
        Instant signedAt = AMZ_DATE.parse(headers.get("X-Amz-Date").asText(), Instant::from);
        headers.put("X-Amz-Date", AMZ_DATE.format(signedAt.minusSeconds(1)));
        parameters.put("headers_json", JSON.writeValueAsString(headers));
        long verified = sts.verifiedCount();
        long calls = sts.requestCount();

        Answer answer = oauth.token(withClient(parameters));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(answer.raw().body()).doesNotContain("SignatureDoesNotMatch").doesNotContain("RequestId");
        assertThat(sts.requestCount()).isEqualTo(calls + 1);
        assertThat(sts.verifiedCount()).isEqualTo(verified);
    }

    @Test
    void stsThrottlingIsTemporarilyUnavailable() {
        sts.enqueue(StsBehaviour.throttling());

        Answer answer = login(deployer().sign());

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.text("error")).isEqualTo("temporarily_unavailable");
    }

    /**
     * README: a binding with an organization ID, OU path prefix or principal tags never admits a
     * principal through aws_identity, whose STS answer carries none of them. The same binding
     * without the condition admits the role, so the condition alone refused it.
     */
    @Test
    void aBindingWithAnOrganizationConditionNeverAdmitsThroughAwsIdentity() {
        String account = "135791357913";
        sts.registerRole("ASIAORGBOUNDEXAMPLE1", "org/bound/EXAMPLEKEYEXAMPLEKEYEX", "IQoJorgBOUNDtoken", account,
                "org-bound", "run-1", "AROAORGBOUNDEXAMPLE1");
        AwsRealmConfig config = new AwsRealmConfig(server);
        for (String[] condition : new String[][] {{"orgId", "o-a1b2c3d4e5"},
                {"ouPathPrefix", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"},
                {"principalTags", "[{\"key\":\"team\",\"value\":\"platform\"}]"}}) {
            String item = config.add(REALM, AwsRealmConfig.binding("org-bound " + condition[0], "priority", "57",
                    "account", account, "type", "role", "namePattern", "org-bound", "provisionUsers", "true",
                    condition[0], condition[1]));
            try {
                Answer answer = orgBoundLogin();
                assertThat(answer.status()).as(condition[0] + ": " + answer).isEqualTo(400);
                assertThat(answer.text("error")).isEqualTo("invalid_grant");
            } finally {
                config.remove(REALM, item);
            }
        }
        String plain = config.add(REALM, AwsRealmConfig.binding("org-bound plain", "priority", "57",
                "account", account, "type", "role", "namePattern", "org-bound", "provisionUsers", "true"));
        try {
            Answer answer = orgBoundLogin();
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        } finally {
            config.remove(REALM, plain);
        }
    }

    private Answer orgBoundLogin() {
        return workload.login(workload.signer("ASIAORGBOUNDEXAMPLE1", "org/bound/EXAMPLEKEYEXAMPLEKEYEX",
                "IQoJorgBOUNDtoken").sign());
    }

    @Test
    void aClientNotSwitchedOnIsUnauthorized() {
        Map<String, String> parameters = new LinkedHashMap<>(deployer().sign().grantParameters());
        parameters.put("grant_type", "aws_identity");

        Answer answer = oauth.token(parameters, TESTCLIENT + ":" + TESTCLIENT_SECRET);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("unauthorized_client");
    }

    @Test
    void theWorkloadClientTakesNoPasswords() {
        Answer answer = oauth.token(form("grant_type", "password", "client_id", AwsWorkload.CLIENT,
                "username", ALICE, "password", ALICE_PASSWORD));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("access_token")).isNull();
    }

    @Test
    void discoveryListsTheGrant() {
        Answer discovery = oauth.get(server.realmUrl(REALM) + "/.well-known/openid-configuration", null);
        assertThat(discovery.json().get("grant_types_supported").toString()).contains("\"aws_identity\"");
    }

    AwsRequestSigner deployer() {
        return workload.deployer();
    }

    Answer login(SignedStsRequest signed) {
        return workload.login(signed);
    }

    static Map<String, String> withClient(Map<String, String> parameters) {
        parameters.put("grant_type", "aws_identity");
        parameters.put("client_id", AwsWorkload.CLIENT);
        return parameters;
    }
}
