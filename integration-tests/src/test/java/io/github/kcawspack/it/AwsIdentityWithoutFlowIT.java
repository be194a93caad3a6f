package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.ALICE;
import static io.github.kcawspack.it.DemoRealm.ALICE_PASSWORD;
import static io.github.kcawspack.it.DemoRealm.API_CLIENT;
import static io.github.kcawspack.it.DemoRealm.API_CLIENT_SECRET;
import static io.github.kcawspack.it.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.github.kcawspack.it.harness.PolicyRealm;
import io.github.kcawspack.it.harness.TokenVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

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
        ClientRepresentation client = client(REALM, AwsWorkload.CLIENT).toRepresentation();
        assertThat(client.isDirectAccessGrantsEnabled()).isFalse();
        assertThat(client.getAuthenticationFlowBindingOverrides() == null ? Map.of() : client.getAuthenticationFlowBindingOverrides())
                .doesNotContainKey("direct_grant");

        Answer answer = workload.login(workload.deployer().sign());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JWTClaimsSet claims = tokens.verify(answer.text("access_token"));
        assertThat(claims.getStringClaim("aws_arn")).isEqualTo("arn:aws:iam::123456789012:role/deployer");
        assertThat(claims.getClaim("sid")).as("a transient session is not named in the token").isNull();
        assertThat(answer.text("refresh_token")).isNull();
    }

    @Test
    void switchedOffTheClientIsUnauthorized() {
        ComponentRepresentation item = clientItem(AwsWorkload.CLIENT);
        config.remove(REALM, item.getId());
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
        try (var created = demo().clients().create(PolicyRealm.read("{\"clientId\":\"" + clientId + "\","
                + "\"publicClient\":true,\"standardFlowEnabled\":false,\"defaultClientScopes\":[\"roles\"],"
                + "\"optionalClientScopes\":[\"offline_access\"],\"attributes\":{\"use.refresh.tokens\":\"true\"}}",
                ClientRepresentation.class))) {
            CreatedResponseUtil.getCreatedId(created);
        }
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
            client(REALM, clientId).remove();
        }
        assertThat(pageItems()).as("the deleted client's switch item").noneMatch(component -> item.equals(component.getId()));
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
        // The realm's own profiles and policies (without Keycloak's global ones, which the update refuses).
        ClientProfilesRepresentation profiles = demo().clientPoliciesProfilesResource().getProfiles(false);
        ClientPoliciesRepresentation policies = demo().clientPoliciesPoliciesResource().getPolicies(false);
        if (profiles.getProfiles() == null) {
            profiles.setProfiles(List.of());
        }
        if (policies.getPolicies() == null) {
            policies.setPolicies(List.of());
        }
        demo().clientPoliciesProfilesResource().updateProfiles(PolicyRealm.read(
                "{\"profiles\":[{\"name\":\"no-password-grant\",\"executors\":[{\"executor\":\"reject-ropc-grant\",\"configuration\":{}}]}]}",
                ClientProfilesRepresentation.class));
        demo().clientPoliciesPoliciesResource().updatePolicies(PolicyRealm.read(
                "{\"policies\":[{\"name\":\"no-password-grant\",\"enabled\":true,"
                        + "\"conditions\":[{\"condition\":\"any-client\",\"configuration\":{}}],\"profiles\":[\"no-password-grant\"]}]}",
                ClientPoliciesRepresentation.class));
        try {
            Answer password = workload.oauth().token(OAuthClient.form("grant_type", "password",
                    "username", ALICE, "password", ALICE_PASSWORD), API_CLIENT + ":" + API_CLIENT_SECRET);
            assertThat(password.status()).as("the policy is in force: " + password).isEqualTo(400);
            assertThat(password.text("access_token")).isNull();

            Answer aws = workload.login(workload.deployer().sign());

            assertThat(aws.status()).as(aws.toString()).isEqualTo(200);
            assertThat(aws.text("access_token")).isNotBlank();
        } finally {
            demo().clientPoliciesPoliciesResource().updatePolicies(policies);
            demo().clientPoliciesProfilesResource().updateProfiles(profiles);
        }
    }

    @Test
    void aLinkedUserWithAPendingRequiredActionIsRefusedNotPrompted() {
        assertThat(workload.login(pending().sign()).status()).as("first login provisions the user").isEqualTo(200);
        UserResource user = demo().users().get(userId("aws-role-pending-actions-123456789012"));
        requiredActions(user, List.of("UPDATE_PASSWORD"));
        try {
            Answer answer = workload.login(pending().sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.text("error")).isEqualTo("invalid_grant");
            assertThat(answer.text("error_description")).isEqualTo("Account is not fully set up");
            assertThat(answer.text("access_token")).isNull();
        } finally {
            requiredActions(user, List.of());
        }
        assertThat(workload.login(pending().sign()).status()).as("without the action again").isEqualTo(200);
    }

    /** A new signer each time: its random invocation id keeps two logins in one second from being one request (a replay). */
    private AwsRequestSigner pending() {
        return workload.signer("ASIAPENDINGACTION001", "pending/secret/EXAMPLEKEYEXAMPLEKEYE", "IQoJpendingTOKEN");
    }

    @Test
    void aClientThatRequiresConsentIsRefused() {
        ClientResource client = client(REALM, AwsWorkload.CLIENT);
        consentRequired(client, true);
        try {
            Answer answer = workload.login(workload.deployer().sign());

            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.text("error")).isEqualTo("unauthorized_client");
            assertThat(answer.text("error_description")).contains("consent");
        } finally {
            consentRequired(client, false);
        }
    }

    @Test
    void aRealmConfiguredTheOldWayKeepsWorkingAndItsFlowIssuesNothing() throws IOException {
        config.importRealm("oldway", resource("/legacy/demo-realm-with-json-settings.json"));
        // Earlier versions linked users by attribute; the import's migration added the link store.
        assertThat(server.admin().realm("oldway").identityProviders().get("aws").toRepresentation().getProviderId())
                .isEqualTo("aws-principal-links");
        ClientRepresentation legacyClient = client("oldway", AwsWorkload.CLIENT).toRepresentation();
        assertThat(legacyClient.getAuthenticationFlowBindingOverrides()).extractingByKey("direct_grant").asString().isNotBlank();
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

    private ComponentRepresentation clientItem(String clientId) {
        return pageItems().stream()
                .filter(item -> CLIENTS_PAGE.equals(item.getProviderId()) && List.of(clientId).equals(item.getConfig().get("clientId")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + CLIENTS_PAGE + " item for " + clientId));
    }

    /** The demo realm's console page items (components of every page). */
    private List<ComponentRepresentation> pageItems() {
        return demo().components().query(demo().toRepresentation().getId(), AwsRealmConfig.COMPONENT_TYPE);
    }

    private RealmResource demo() {
        return server.admin().realm(REALM);
    }

    /** The one client {@code clientId} of {@code realm}. */
    private ClientResource client(String realm, String clientId) {
        List<ClientRepresentation> found = server.admin().realm(realm).clients().findByClientId(clientId);
        assertThat(found).hasSize(1);
        return server.admin().realm(realm).clients().get(found.get(0).getId());
    }

    private String userId(String username) {
        List<UserRepresentation> users = demo().users().searchByUsername(username, true);
        assertThat(users).hasSize(1);
        return users.get(0).getId();
    }

    private static void requiredActions(UserResource user, List<String> actions) {
        UserRepresentation representation = user.toRepresentation();
        representation.setRequiredActions(actions);
        user.update(representation);
    }

    private static void consentRequired(ClientResource client, boolean required) {
        ClientRepresentation representation = client.toRepresentation();
        representation.setConsentRequired(required);
        client.update(representation);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = AwsIdentityWithoutFlowIT.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
