package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.harness.AdminRest;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ConfigPropertyRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RealmEventsConfigRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The demo realm's restricted-scope policy at the token endpoint: write needs role writer, groups
 * needs group /staff, deploy only for the AWS role deployer through aws_identity (README,
 * "Restricted-scope policies"). Browser grants and the consent page: ScopePolicyBrowserIT.
 */
@ExtendWith(KeycloakExtension.class)
class ScopePolicyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUILDER_KEY = "ASIAIBUILDEREXAMPLE1";
    private static final String BUILDER_SECRET = "builder/secret/EXAMPLEKEYEXAMPLEKEYEXA";
    private static final String BUILDER_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEbuilderSESSIONtoken";

    private static KeycloakServer server;
    private static OAuthClient oauth;
    private static TokenVerifier tokens;
    private static AwsWorkload workload;
    private static Keycloak admin;

    @BeforeAll
    static void connect(KeycloakServer keycloak, FakeSts sts, OAuthClient demoClient, TokenVerifier demoTokens,
                        Keycloak adminClient) {
        server = keycloak;
        oauth = demoClient;
        tokens = demoTokens;
        admin = adminClient;
        workload = new AwsWorkload(server, sts);
        sts.registerRole(BUILDER_KEY, BUILDER_SECRET, BUILDER_TOKEN, AwsWorkload.ACCOUNT, "builder", "ci-run-7", "AROABUILDEREXAMPLE01");
    }

    @Test
    void passwordGrantGivesAliceWriteAndGroupsButLeavesThemOutForBob() throws Exception {
        Answer alice = password(ALICE, ALICE_PASSWORD, "read write groups");
        assertThat(alice.text("scope").split(" ")).containsExactlyInAnyOrder("read", "write", "groups");
        JWTClaimsSet aliceToken = tokens.verify(alice.text("access_token"));
        assertThat(aliceToken.getBooleanClaim("api_write")).isTrue();
        assertThat(aliceToken.getStringListClaim("groups")).containsExactly("/staff");

        Answer bob = password(BOB, BOB_PASSWORD, "read write groups");
        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        assertThat(bob.text("scope")).as("RFC 6749 section 3.3: the response says what was granted").isEqualTo("read");
        JWTClaimsSet bobToken = tokens.verify(bob.text("access_token"));
        assertThat(bobToken.getStringClaim("scope")).isEqualTo("read");
        assertThat(bobToken.getClaims()).as("no claim of a withheld scope's mappers").doesNotContainKeys("api_write", "groups");
    }

    @Test
    void introspectionAndUserinfoKnowNothingOfAWithheldScope() throws Exception {
        allowIntrospectionOfAnyToken(API_CLIENT);
        Answer bob = password(BOB, BOB_PASSWORD, "openid read write groups");
        String accessToken = bob.text("access_token");

        Answer introspection = oauth.introspect(accessToken, API_CLIENT + ":" + API_CLIENT_SECRET);
        assertThat(introspection.json().get("active").asBoolean()).as(introspection.toString()).isTrue();
        assertThat(introspection.text("scope").split(" ")).contains("read").doesNotContain("write", "groups");
        assertThat(introspection.json().has("api_write")).isFalse();
        assertThat(introspection.json().has("groups")).isFalse();

        Answer userinfo = oauth.get(server.realmUrl(REALM) + "/protocol/openid-connect/userinfo", accessToken);
        assertThat(userinfo.status()).as(userinfo.toString()).isEqualTo(200);
        assertThat(userinfo.json().has("api_write")).isFalse();
        assertThat(userinfo.json().has("groups")).isFalse();
    }

    @Test
    void clientCredentialsFollowTheServiceAccountsRoles() throws Exception {
        String serviceAccount = serviceAccountId(TESTCLIENT);

        Answer without = clientCredentials("read write");
        assertThat(without.text("scope").split(" ")).contains("read").doesNotContain("write");
        assertThat(tokens.verify(without.text("access_token")).getClaims()).doesNotContainKey("api_write");

        grantRealmRole(serviceAccount, "writer");
        try {
            Answer with = clientCredentials("read write");
            assertThat(with.text("scope").split(" ")).contains("read", "write");
            assertThat(tokens.verify(with.text("access_token")).getBooleanClaim("api_write")).isTrue();
        } finally {
            revokeRealmRole(serviceAccount, "writer");
        }
    }

    @Test
    void refreshAfterTheRoleWasRemovedLeavesTheScopeOut() throws Exception {
        String carol = createUser("carol-" + UUID.randomUUID().toString().substring(0, 8), "writer");
        Answer first = password(usernameOf(carol), "carol-password", "read write");
        assertThat(first.text("scope").split(" ")).containsExactlyInAnyOrder("read", "write");

        revokeRealmRole(carol, "writer");
        Answer refreshed = refresh(first.text("refresh_token"));

        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        assertThat(refreshed.text("scope")).isEqualTo("read");
        assertThat(tokens.verify(refreshed.text("access_token")).getClaims()).doesNotContainKey("api_write");

        // The new refresh token carries the narrowed scope too (RFC 6749 section 6: a refresh may
        // narrow the grant, never widen it), so the scope does not come back with the role: the
        // user signs in again for it.
        // Refresh tokens are signed with the realm's secret key: read, not verified.
        assertThat(com.nimbusds.jwt.JWTParser.parse(refreshed.text("refresh_token")).getJWTClaimsSet().getStringClaim("scope")
                .split(" ")).contains("read").doesNotContain("write");
        grantRealmRole(carol, "writer");
        Answer again = refresh(refreshed.text("refresh_token"));
        assertThat(again.text("scope")).isEqualTo("read");
    }

    @Test
    void inRejectModeTheRequestFailsWithInvalidScopeNamingTheScope() throws Exception {
        String carol = createUser("carol-" + UUID.randomUUID().toString().substring(0, 8), "writer");
        Answer first = password(usernameOf(carol), "carol-password", "read write");
        withPolicyRule("{\"scope\": \"write\", \"clients\": [\"api-client\", \"testclient\"], \"realmRoles\": [\"writer\"], \"mode\": \"reject\"}", () -> {
            Answer bob = password(BOB, BOB_PASSWORD, "read write");
            assertThat(bob.status()).isEqualTo(400);
            assertThat(bob.text("error")).isEqualTo("invalid_scope");
            assertThat(bob.text("error_description")).contains("'write'").doesNotContain("writer");
            assertThat(password(BOB, BOB_PASSWORD, "read").status()).as("without the scope it is fine").isEqualTo(200);

            Answer serviceAccount = clientCredentials("read write");
            assertThat(serviceAccount.status()).isEqualTo(400);
            assertThat(serviceAccount.text("error")).isEqualTo("invalid_scope");

            revokeRealmRole(carol, "writer");
            Answer refreshed = refresh(first.text("refresh_token"));
            assertThat(refreshed.status()).isEqualTo(400);
            assertThat(refreshed.text("error")).isEqualTo("invalid_scope");
        });
    }

    @Test
    void deployOnlyForTheDeployerRoleAndOnlyThroughAwsIdentity() throws Exception {
        Answer deployer = workload.login(withScope(workload.deployer().sign().grantParameters(), "read deploy"));
        assertThat(deployer.status()).as(deployer.toString()).isEqualTo(200);
        assertThat(deployer.text("scope").split(" ")).contains("read", "deploy");
        assertThat(tokens.verify(deployer.text("access_token")).getBooleanClaim("api_deploy")).isTrue();

        Answer builder = workload.login(withScope(
                workload.signer(BUILDER_KEY, BUILDER_SECRET, BUILDER_TOKEN).sign().grantParameters(), "read deploy"));
        assertThat(builder.status()).as(builder.toString()).isEqualTo(200);
        assertThat(builder.text("scope").split(" ")).contains("read").doesNotContain("deploy");
        assertThat(tokens.verify(builder.text("access_token")).getClaims()).doesNotContainKey("api_deploy");

        Answer password = oauth.token(form("grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD,
                "scope", "read deploy"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(password.status()).as(password.toString()).isEqualTo(200);
        assertThat(password.text("scope").split(" ")).doesNotContain("deploy");
    }

    @Test
    void tokenExchangeCannotObtainAWithheldScope() throws Exception {
        setClientAttribute(API_CLIENT, "standard.token.exchange.enabled", "true");
        String bobsToken = password(BOB, BOB_PASSWORD, "read").text("access_token");
        String alicesToken = password(ALICE, ALICE_PASSWORD, "read").text("access_token");

        Answer bob = exchange(bobsToken, "read write");
        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        assertThat(tokens.verify(bob.text("access_token")).getStringClaim("scope").split(" ")).contains("read").doesNotContain("write");

        Answer alice = exchange(alicesToken, "read write");
        assertThat(tokens.verify(alice.text("access_token")).getStringClaim("scope").split(" "))
                .as("the policy judges the subject, not the subject token's scope").contains("read", "write");
    }

    @Test
    void scopeParameterTricksChangeNothing() {
        assertThat(password(BOB, BOB_PASSWORD, "write read write write").text("scope")).isEqualTo("read");

        Answer caseVariant = password(BOB, BOB_PASSWORD, "read WRITE");
        assertThat(caseVariant.status()).as("scope names are case-sensitive; WRITE is unknown").isEqualTo(400);
        assertThat(caseVariant.text("error")).isEqualTo("invalid_scope");

        Answer unknown = password(BOB, BOB_PASSWORD, "read admin");
        assertThat(unknown.text("error")).isEqualTo("invalid_scope");

        // Keycloak drops an undeclared form parameter over 4000 characters before any grant sees it.
        String longList = String.join(" ", Collections.nCopies(200, "write read groups"));
        Answer many = password(BOB, BOB_PASSWORD, longList);
        assertThat(many.status()).as(many.toString()).isEqualTo(200);
        assertThat(many.text("scope")).isEqualTo("read");
    }

    /**
     * A top-level group whose name contains a slash is not a subgroup of /staff, but Keycloak
     * (group paths unescaped by default) spells its path "/staff/contractors", and the policy
     * compares path strings: its members obtain the scope the rule keeps for /staff.
     */
    @Test
    void aTopLevelGroupNamedStaffSlashSomethingIsNotBelowStaff() throws Exception {
        String name = "staff/contractors-" + UUID.randomUUID().toString().substring(0, 8);
        GroupRepresentation created = new GroupRepresentation();
        created.setName(name);
        try (var answer = demo().groups().add(created)) {
            CreatedResponseUtil.getCreatedId(answer);
        }
        // GET /groups lists the top-level groups only
        GroupRepresentation group = demo().groups().groups(0, 1000).stream()
                .filter(candidate -> name.equals(candidate.getName())).findFirst().orElse(null);
        assertThat(group).as("the top-level group " + name).isNotNull();
        assertThat(group.getParentId()).as("a top-level group").isNull();

        String dave = createUserWithoutRoles("dave-" + UUID.randomUUID().toString().substring(0, 8));
        demo().users().get(dave).joinGroup(group.getId());

        Answer answer = oauth.token(form("grant_type", "password", "username", usernameOf(dave), "password", "carol-password",
                "client_id", API_CLIENT, "client_secret", API_CLIENT_SECRET, "scope", "read groups"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.text("scope").split(" ")).as("dave is in no group at or below /staff").contains("read").doesNotContain("groups");
        assertThat(tokens.verify(answer.text("access_token")).getClaims()).doesNotContainKey("groups");
    }

    @Test
    void theActionsConfigRefusesAPolicyStringAndTheDemoPolicyStillHolds() throws Exception {
        // The required action has no settings of its own now: a string saved there would not be used.
        assertThat(demo().flows().getRequiredActionConfigDescription("restricted-scope-policy").getProperties())
                .extracting(ConfigPropertyRepresentation::getName)
                .as("only Keycloak's own settings of every action").doesNotContain("policy");

        ObjectNode legacy = JSON.createObjectNode();
        legacy.putObject("config").put("policy", "{\"rules\": []}");
        // By hand (AdminRest): the refusal's 400 body, which names the page to use instead, is what is checked.
        AdminRest.Answer refused = server.adminRest().call("PUT",
                "/admin/realms/" + REALM + "/authentication/required-actions/restricted-scope-policy/config", legacy.toString());
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("restricted-scope-rules");
        assertThat(password(BOB, BOB_PASSWORD, "read write").text("scope"))
                .as("the demo policy still holds").isEqualTo("read");
    }

    @Test
    void theWithheldScopesAreOnTheLoginEvent() throws Exception {
        RealmEventsConfigRepresentation events = new RealmEventsConfigRepresentation();
        events.setEventsEnabled(true);
        demo().updateRealmEventsConfig(events);
        password(BOB, BOB_PASSWORD, "read write groups");

        assertThat(demo().getEvents(List.of("LOGIN"), API_CLIENT, null, null, null, null, null, 20)).anySatisfy(event ->
                assertThat(event.getDetails().getOrDefault("withheld_scopes", "").split(" ")).containsExactlyInAnyOrder("write", "groups"));
    }

    /**
     * Keycloak 26.7 lets a client introspect only tokens whose audience names it, unless the client
     * is a resource server set to introspect any token of the realm (Advanced > "Allow token
     * introspection without audience check"); api-client plays that resource server here.
     */
    private static void allowIntrospectionOfAnyToken(String clientId) throws Exception {
        setClientAttribute(clientId, "allow.token.introspection.without.audience.check", "true");
    }

    private static void setClientAttribute(String clientId, String name, String value) throws Exception {
        ClientResource client = demo().clients().get(demo().clients().findByClientId(clientId).get(0).getId());
        ClientRepresentation representation = client.toRepresentation();
        representation.getAttributes().put(name, value);
        client.update(representation);
    }

    private static Answer password(String username, String password, String scope) {
        return oauth.token(form("grant_type", "password", "username", username, "password", password,
                "client_id", API_CLIENT, "client_secret", API_CLIENT_SECRET, "scope", scope));
    }

    private static Map<String, String> withScope(Map<String, String> parameters, String scope) {
        Map<String, String> form = new LinkedHashMap<>(parameters);
        form.put("scope", scope);
        return form;
    }

    private static Answer exchange(String subjectToken, String scope) {
        return oauth.token(form("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", subjectToken, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "requested_token_type", "urn:ietf:params:oauth:token-type:access_token", "scope", scope),
                API_CLIENT + ":" + API_CLIENT_SECRET);
    }

    private static Answer clientCredentials(String scope) {
        return oauth.token(form("grant_type", "client_credentials", "scope", scope), TESTCLIENT + ":" + TESTCLIENT_SECRET);
    }

    private static Answer refresh(String refreshToken) {
        return oauth.token(form("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", API_CLIENT, "client_secret", API_CLIENT_SECRET));
    }

    /** Runs the check with one more rule item on the demo realm's rules page, then deletes it. */
    private static void withPolicyRule(String rule, ThrowingRunnable check) throws Exception {
        String id = PolicyComponents.create(server, "demo", PolicyComponents.rule(JSON.readTree(rule)));
        try {
            check.run();
        } finally {
            demo().components().component(id).remove();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void theActionAssignedToAUserNeverBlocksTheirTokenEndpointLogin() throws Exception {
        // As a default action or by hand, the action lands on users; README: it never asks anything of them.
        String username = "erin-" + UUID.randomUUID().toString().substring(0, 8);
        UserRepresentation withTheAction = user(username);
        withTheAction.setRequiredActions(List.of("restricted-scope-policy"));
        String erin = create(withTheAction);

        Answer answer = password(username, "carol-password", "read write");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.text("scope")).isEqualTo("read");
        assertThat(demo().users().get(erin).toRepresentation().getRequiredActions())
                .as("taken off the user again").isEmpty();
    }

    private static RealmResource demo() {
        return admin.realm(REALM);
    }

    /** An enabled user with password carol-password, no role, no group. */
    private static UserRepresentation user(String username) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("carol-password");
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        return user;
    }

    /** Creates the user; returns its id. */
    private static String create(UserRepresentation user) {
        try (var created = demo().users().create(user)) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    private static String createUser(String username, String realmRole) {
        String id = create(user(username));
        grantRealmRole(id, realmRole);
        return id;
    }

    private static String createUserWithoutRoles(String username) {
        return create(user(username));
    }

    private static String usernameOf(String userId) {
        return demo().users().get(userId).toRepresentation().getUsername();
    }

    private static String serviceAccountId(String clientId) {
        String id = demo().clients().findByClientId(clientId).get(0).getId();
        return demo().clients().get(id).getServiceAccountUser().getId();
    }

    private static void grantRealmRole(String userId, String role) {
        demo().users().get(userId).roles().realmLevel().add(List.of(demo().roles().get(role).toRepresentation()));
    }

    private static void revokeRealmRole(String userId, String role) {
        demo().users().get(userId).roles().realmLevel().remove(List.of(demo().roles().get(role).toRepresentation()));
    }
}
