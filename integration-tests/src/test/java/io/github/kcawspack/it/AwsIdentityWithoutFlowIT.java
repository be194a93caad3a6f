package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.ALICE;
import static io.github.kcawspack.it.DemoRealm.ALICE_PASSWORD;
import static io.github.kcawspack.it.DemoRealm.API_CLIENT;
import static io.github.kcawspack.it.DemoRealm.API_CLIENT_SECRET;
import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.fakests.AwsRequestSigner;
import io.github.kcawspack.it.fakests.FakeSts;
import io.github.kcawspack.it.fakests.StsBehaviour;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * aws_identity as a grant of its own (issue 15): no authentication flow, the per-client switch on
 * the admin console page aws-identity-clients, and the checks the flow used to make, made by the
 * grant: consent-required clients, required actions, the password grant kept off the AWS client,
 * Keycloak's OAuth 2.1 client policy (reject-ropc-grant) not mistaking it for a password grant,
 * and clients configured the old way still working, never unprotected. Each test puts back what
 * it changes: the server is shared by the whole run.
 */
@ExtendWith(KeycloakExtension.class)
class AwsIdentityWithoutFlowIT {

    private static final String CLIENTS_PAGE = "aws-identity-clients";

    @Injected
    KeycloakServer server;
    @Injected
    FakeSts sts;
    @Injected
    TokenVerifier tokens;
    private AwsWorkload workload;
    private AwsRealmConfig config;

    @BeforeAll
    static void registerThePendingActionsRole(FakeSts sts) {
        sts.registerRole("ASIAPENDINGACTION001", "pending/secret/EXAMPLEKEYEXAMPLEKEYE", "IQoJpendingTOKEN",
                AwsWorkload.ACCOUNT, "pending-actions", "s1", "AROAPENDINGACTION001");
    }

    @BeforeEach
    void normalSts() {
        workload = new AwsWorkload(server, sts);
        config = new AwsRealmConfig(server);
        sts.setDefaultBehaviour(StsBehaviour.normal());
    }

    @Test
    void theDemoClientLogsInWithoutAnyFlowOverrideOrDirectAccessGrants() throws Exception {
        JsonNode client = client(REALM, AwsWorkload.CLIENT);
        assertThat(client.get("directAccessGrantsEnabled").asBoolean()).isFalse();
        assertThat(client.path("authenticationFlowBindingOverrides").path("direct_grant").isMissingNode()).isTrue();

        Answer answer = workload.login(workload.deployer().sign());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("aws_arn")).isEqualTo("arn:aws:iam::123456789012:role/deployer");
        assertThat(claims.getClaim("sid")).as("a transient session is not named in the token").isNull();
        assertThat(answer.text("refresh_token")).isNull();
    }

    @Test
    void switchedOffTheClientIsUnauthorized() {
        JsonNode item = clientItem(AwsWorkload.CLIENT);
        config.remove(REALM, item.get("id").asText());
        try {
            Answer answer = workload.login(workload.deployer().sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.text("error")).isEqualTo("unauthorized_client");
        } finally {
            config.add(REALM, clientsPageItem(AwsWorkload.CLIENT));
        }
        assertThat(workload.login(workload.deployer().sign()).status()).as("switched on again").isEqualTo(200);
    }

    @Test
    void noRefreshOrOfflineTokenEvenOnAClientThatUsesRefreshTokens() {
        // An attack on the first build: a client with refresh tokens on kept refreshing (offline,
        // for weeks) with a binding's roles after the binding, the link and the client's switch were
        // all removed. Every aws_identity token now rests on a proof STS confirmed at that request.
        String clientId = "it-aws-refresh";
        OAuthClient.admin(server, "POST", "/admin/realms/demo/clients", "{\"clientId\":\"" + clientId + "\","
                + "\"publicClient\":true,\"standardFlowEnabled\":false,\"defaultClientScopes\":[\"roles\"],"
                + "\"optionalClientScopes\":[\"offline_access\"],\"attributes\":{\"use.refresh.tokens\":\"true\"}}");
        String item = config.add(REALM, clientsPageItem(clientId));
        try {
            Map<String, String> form = new LinkedHashMap<>(workload.deployer().sign().grantParameters());
            form.put("grant_type", "aws_identity");
            form.put("client_id", clientId);
            Answer online = workload.oauth().token(form);
            assertThat(online.status()).as(online.toString()).isEqualTo(200);
            assertThat(online.text("refresh_token")).as("refresh tokens are on for this client").isNull();

            Map<String, String> offline = new LinkedHashMap<>(workload.deployer().sign().grantParameters());
            offline.put("grant_type", "aws_identity");
            offline.put("client_id", clientId);
            offline.put("scope", "offline_access");
            Answer refused = workload.oauth().token(offline);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.text("error")).isEqualTo("invalid_scope");
            assertThat(refused.text("refresh_token")).isNull();
        } finally {
            // The item goes with its client: a client created later under the same Client ID (dynamic
            // client registration, a delegated admin) must not find itself switched on.
            String id = client(REALM, clientId).get("id").asText();
            OAuthClient.admin(server, "DELETE", "/admin/realms/demo/clients/" + id, null);
        }
        assertThat(OAuthClient.admin(server, "GET", "/admin/realms/demo/components?type=" + AwsRealmConfig.COMPONENT_TYPE, null))
                .as("the deleted client's switch item").doesNotContain("\"" + item + "\"");
    }

    @Test
    void thePasswordGrantIsRefusedOnTheAwsClientEvenWithTheAwsFields() {
        Map<String, String> withAwsFields = new LinkedHashMap<>(workload.deployer().sign().grantParameters());
        withAwsFields.put("grant_type", "password");
        withAwsFields.put("client_id", AwsWorkload.CLIENT);
        withAwsFields.put("username", ALICE);
        withAwsFields.put("password", ALICE_PASSWORD);

        Answer answer = workload.oauth().token(withAwsFields);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("unauthorized_client");
        assertThat(answer.text("access_token")).isNull();
    }

    @Test
    void aClientPolicyThatRejectsThePasswordGrantLetsAwsIdentityThrough() {
        String profiles = OAuthClient.admin(server, "GET", "/admin/realms/demo/client-policies/profiles", null);
        String policies = OAuthClient.admin(server, "GET", "/admin/realms/demo/client-policies/policies", null);
        OAuthClient.admin(server, "PUT", "/admin/realms/demo/client-policies/profiles",
                "{\"profiles\":[{\"name\":\"no-password-grant\",\"executors\":[{\"executor\":\"reject-ropc-grant\",\"configuration\":{}}]}]}");
        OAuthClient.admin(server, "PUT", "/admin/realms/demo/client-policies/policies",
                "{\"policies\":[{\"name\":\"no-password-grant\",\"enabled\":true,"
                        + "\"conditions\":[{\"condition\":\"any-client\",\"configuration\":{}}],\"profiles\":[\"no-password-grant\"]}]}");
        try {
            Answer password = workload.oauth().token(OAuthClient.form("grant_type", "password",
                    "username", ALICE, "password", ALICE_PASSWORD), API_CLIENT + ":" + API_CLIENT_SECRET);
            assertThat(password.status()).as("the policy is in force: " + password).isEqualTo(400);
            assertThat(password.text("access_token")).isNull();

            Answer aws = workload.login(workload.deployer().sign());

            assertThat(aws.status()).as(aws.toString()).isEqualTo(200);
            assertThat(aws.text("access_token")).isNotBlank();
        } finally {
            OAuthClient.admin(server, "PUT", "/admin/realms/demo/client-policies/policies", withoutGlobals(policies, "policies"));
            OAuthClient.admin(server, "PUT", "/admin/realms/demo/client-policies/profiles", withoutGlobals(profiles, "profiles"));
        }
    }

    @Test
    void aLinkedUserWithAPendingRequiredActionIsRefusedNotPrompted() {
        assertThat(workload.login(pending().sign()).status()).as("first login provisions the user").isEqualTo(200);
        String userPath = "/admin/realms/demo/users/" + userId("aws-role-pending-actions-123456789012");
        OAuthClient.admin(server, "PUT", userPath, "{\"requiredActions\":[\"UPDATE_PASSWORD\"]}");
        try {
            Answer answer = workload.login(pending().sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.text("error")).isEqualTo("invalid_grant");
            assertThat(answer.text("error_description")).isEqualTo("Account is not fully set up");
            assertThat(answer.text("access_token")).isNull();
        } finally {
            OAuthClient.admin(server, "PUT", userPath, "{\"requiredActions\":[]}");
        }
        assertThat(workload.login(pending().sign()).status()).as("without the action again").isEqualTo(200);
    }

    /** A new signer each time: its random invocation id keeps two logins in one second from being one request (a replay). */
    private AwsRequestSigner pending() {
        return workload.signer("ASIAPENDINGACTION001", "pending/secret/EXAMPLEKEYEXAMPLEKEYE", "IQoJpendingTOKEN");
    }

    @Test
    void aClientThatRequiresConsentIsRefused() {
        String clientPath = "/admin/realms/demo/clients/" + client(REALM, AwsWorkload.CLIENT).get("id").asText();
        OAuthClient.admin(server, "PUT", clientPath, "{\"consentRequired\":true}");
        try {
            Answer answer = workload.login(workload.deployer().sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.text("error")).isEqualTo("unauthorized_client");
            assertThat(answer.text("error_description")).contains("consent");
        } finally {
            OAuthClient.admin(server, "PUT", clientPath, "{\"consentRequired\":false}");
        }
    }

    @Test
    void aRealmConfiguredTheOldWayKeepsWorkingAndItsFlowIssuesNothing() throws IOException {
        config.importRealm("oldway", resource("/legacy/demo-realm-with-json-settings.json"));
        // Earlier versions linked users by attribute; the import's migration added the link store.
        assertThat(OAuthClient.admin(server, "GET", "/admin/realms/oldway/identity-provider/instances/aws", null))
                .contains("\"providerId\":\"aws-principal-links\"");
        JsonNode legacyClient = client("oldway", AwsWorkload.CLIENT);
        assertThat(legacyClient.path("authenticationFlowBindingOverrides").path("direct_grant").asText()).isNotBlank();
        OAuthClient oldway = server.oauth("oldway");

        Map<String, String> form = new LinkedHashMap<>(workload.deployer().audience(server.realmUrl("oldway")).sign().grantParameters());
        form.put("grant_type", "aws_identity");
        form.put("client_id", AwsWorkload.CLIENT);
        Answer aws = oldway.token(form);
        assertThat(aws.status()).as("the old-style client counts as switched on: " + aws).isEqualTo(200);
        assertThat(server.logTail(3000)).contains("Realm oldway: client aws-workload is switched on for aws_identity the old way");

        Map<String, String> password = new LinkedHashMap<>(workload.deployer().audience(server.realmUrl("oldway")).sign().grantParameters());
        password.put("grant_type", "password");
        password.put("client_id", AwsWorkload.CLIENT);
        Answer throughTheFlow = oldway.token(password);
        assertThat(throughTheFlow.status()).as("its old flow issues nothing: " + throughTheFlow).isEqualTo(400);
        assertThat(throughTheFlow.text("error")).isEqualTo("unauthorized_client");
        assertThat(throughTheFlow.text("access_token")).isNull();
        // The realm stays (as AwsIdentitySettingsIT's do): deleting one takes longer than a loaded machine allows.
    }

    /** The console page item that switches {@code clientId} on, as realm JSON carries it. */
    private static ObjectNode clientsPageItem(String clientId) {
        ObjectNode item = (ObjectNode) AwsRealmConfig.parse("{}");
        item.put("name", clientId);
        item.put("providerId", CLIENTS_PAGE);
        item.put("providerType", AwsRealmConfig.COMPONENT_TYPE);
        item.putObject("config").putArray("clientId").add(clientId);
        return item;
    }

    private JsonNode clientItem(String clientId) {
        for (JsonNode item : AwsRealmConfig.parse(OAuthClient.admin(server, "GET",
                "/admin/realms/demo/components?type=" + AwsRealmConfig.COMPONENT_TYPE, null))) {
            if (CLIENTS_PAGE.equals(item.path("providerId").asText())
                    && clientId.equals(item.path("config").path("clientId").path(0).asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + CLIENTS_PAGE + " item for " + clientId);
    }

    private JsonNode client(String realm, String clientId) {
        JsonNode found = AwsRealmConfig.parse(OAuthClient.admin(server, "GET", "/admin/realms/" + realm + "/clients?clientId=" + clientId, null));
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private String userId(String username) {
        JsonNode users = AwsRealmConfig.parse(OAuthClient.admin(server, "GET", "/admin/realms/demo/users?exact=true&username=" + username, null));
        assertThat(users).hasSize(1);
        return users.get(0).get("id").asText();
    }

    /** The realm's own client profiles or policies (the PUT refuses Keycloak's global ones). */
    private static String withoutGlobals(String json, String field) {
        ObjectNode node = (ObjectNode) AwsRealmConfig.parse(json);
        node.remove("globalProfiles");
        node.remove("globalPolicies");
        if (!node.has(field)) {
            node.putArray(field);
        }
        return node.toString();
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = AwsIdentityWithoutFlowIT.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
