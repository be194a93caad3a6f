package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.PolicyRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.ClientScopeResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;

/**
 * Issue 13 for SAML: a SAML client's assertion carries the attributes of its client scopes'
 * SAML mappers, and the restricted-scope policy holds on them. The required action judges every
 * SAML login (a SAML client's client scopes are all default scopes, so a withheld one refuses the
 * login); the pack's {@code saml} protocol refuses SAML while the policy cannot be applied (an
 * unreadable policy, the required action disabled).
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "saml-policy")
class ScopePolicySamlIT {

    static final String SAML_CLIENT = "saml-app";
    static final String ACS = "https://saml.example.invalid/acs";
    static final String ATTRIBUTE = "saml_write_access";

    @Injected
    PolicyRealm realm;
    @Injected
    KeycloakServer server;

    static final String SAML_WRITE_FOR_WRITERS = "{\"mode\": \"filter\", \"rules\": ["
            + "{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}, {\"scope\": \"saml-write\", \"realmRoles\": [\"writer\"]}]}";

    @BeforeAll
    static void createSamlClient(PolicyRealm realm) {
        addSamlClient(realm);
    }

    /** A SAML client whose default client scope saml-write adds attribute {@value #ATTRIBUTE}; ECP allowed. */
    static void addSamlClient(PolicyRealm realm) {
        realm.createClientScope("""
                {"name": "saml-write", "protocol": "saml",
                 "protocolMappers": [{"name": "write access", "protocol": "saml",
                   "protocolMapper": "saml-hardcode-attribute-mapper",
                   "config": {"attribute.name": "%s", "attribute.value": "granted", "attribute.nameformat": "Basic"}}]}
                """.formatted(ATTRIBUTE));
        realm.createClient(PolicyRealm.read("""
                {"clientId": "%s", "protocol": "saml", "enabled": true, "frontchannelLogout": false,
                 "redirectUris": ["%s"], "baseUrl": "%s",
                 "attributes": {"saml_idp_initiated_sso_url_name": "%s", "saml.client.signature": "false",
                   "saml_assertion_consumer_url_post": "%s", "saml.force.post.binding": "true", "saml.allow.ecp.flow": "true",
                   "saml.server.signature": "true", "saml.assertion.signature": "false", "saml.encrypt": "false"},
                 "defaultClientScopes": ["saml-write"]}
                """.formatted(SAML_CLIENT, ACS, ACS, SAML_CLIENT, ACS), ClientRepresentation.class));
    }

    private SamlFlows browser() {
        return new SamlFlows(server, realm.name());
    }

    @Test
    void aliceTheWriterGetsTheAttributeOnEverySamlPath() {
        realm.policy(SAML_WRITE_FOR_WRITERS);
        SamlFlows.Result idpInitiated = browser().idpInitiated(SAML_CLIENT, ALICE, PASSWORD);
        assertThat(idpInitiated.issuedAssertion()).as(idpInitiated.toString()).isTrue();
        assertThat(idpInitiated.samlResponse()).contains(ATTRIBUTE);

        SamlFlows.Result spInitiated = browser().spInitiated(SAML_CLIENT, ACS, ALICE, PASSWORD);
        assertThat(spInitiated.issuedAssertion()).as(spInitiated.toString()).isTrue();
        assertThat(spInitiated.samlResponse()).contains(ATTRIBUTE);

        SamlFlows.Result byPost = browser().spInitiatedByPost(SAML_CLIENT, ACS, ALICE, PASSWORD);
        assertThat(byPost.issuedAssertion()).as(byPost.toString()).isTrue();
        assertThat(byPost.samlResponse()).contains(ATTRIBUTE);

        SamlFlows.Result ecp = browser().ecp(SAML_CLIENT, ACS, ALICE, PASSWORD);
        assertThat(ecp.issuedAssertion()).as(ecp.toString()).isTrue();
        assertThat(ecp.samlResponse()).contains(ATTRIBUTE);
    }

    /**
     * Filter mode: saml-write is a default scope of the SAML client (SAML has no optional scopes
     * to leave out), so bob's login is refused, as an OIDC login whose default scope is withheld:
     * an error page for an IdP-initiated login, a SAML Response of status RequestDenied (no
     * assertion) to the client for an SP-initiated one, NoPassive for ECP.
     */
    @Test
    void bobWithoutTheRoleIsRefusedOnEverySamlPath() {
        realm.policy(SAML_WRITE_FOR_WRITERS);
        assertRefused(browser().idpInitiated(SAML_CLIENT, BOB, PASSWORD), "scope &#39;saml-write&#39; is not permitted");

        SamlFlows.Result spInitiated = browser().spInitiated(SAML_CLIENT, ACS, BOB, PASSWORD);
        assertRefused(spInitiated, "RequestDenied");
        assertRefused(browser().spInitiatedByPost(SAML_CLIENT, ACS, BOB, PASSWORD), "RequestDenied");
        assertErrorEvent("invalid_scope", "scope_policy");

        assertRefused(browser().ecp(SAML_CLIENT, ACS, BOB, PASSWORD), "NoPassive");
    }

    @Test
    void rejectModeRefusesBob() {
        realm.policy("{\"mode\": \"reject\", \"rules\": [{\"scope\": \"saml-write\", \"realmRoles\": [\"writer\"]}]}");
        try {
            assertRefused(browser().spInitiated(SAML_CLIENT, ACS, BOB, PASSWORD), "RequestDenied");
            assertThat(browser().spInitiated(SAML_CLIENT, ACS, ALICE, PASSWORD).issuedAssertion()).isTrue();
        } finally {
            realm.policy(SAML_WRITE_FOR_WRITERS);
        }
    }

    /** An SSO re-login (the browser's Keycloak session cookie, no password) is judged again with the policy of now. */
    @Test
    void anSsoReLoginIsJudgedAgain() {
        realm.policy("{\"mode\": \"filter\", \"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");
        SamlFlows bobsBrowser = browser();
        try {
            SamlFlows.Result first = bobsBrowser.idpInitiated(SAML_CLIENT, BOB, PASSWORD);
            assertThat(first.issuedAssertion()).as("no rule on saml-write yet: " + first).isTrue();
        } finally {
            realm.policy(SAML_WRITE_FOR_WRITERS);
        }
        SamlFlows.Result again = bobsBrowser.idpInitiated(SAML_CLIENT, "no-password-asked", "none");
        assertRefused(again, "scope &#39;saml-write&#39; is not permitted");
    }

    /** README: "Strict withholds every client scope no rule covers (an allowlist)": SAML scopes too. */
    @Test
    void inStrictModeAScopeNoRuleCoversIsWithheldFromSamlToo() {
        realm.policy("{\"mode\": \"filter\", \"strict\": true, \"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");
        try {
            assertRefused(browser().idpInitiated(SAML_CLIENT, BOB, PASSWORD), "scope &#39;saml-write&#39; is not permitted");
            assertRefused(browser().spInitiated(SAML_CLIENT, ACS, ALICE, PASSWORD), "RequestDenied");
        } finally {
            realm.policy(SAML_WRITE_FOR_WRITERS);
        }
    }

    /** A rule may name "saml" among its grant types: it then admits SAML logins only. */
    @Test
    void aRuleNamingTheSamlGrantTypeAdmitsSamlLogins() {
        realm.policy("{\"mode\": \"filter\", \"rules\": [{\"scope\": \"saml-write\", \"grantTypes\": [\"saml\"]}]}");
        try {
            assertThat(browser().idpInitiated(SAML_CLIENT, BOB, PASSWORD).issuedAssertion()).isTrue();
            realm.policy("{\"mode\": \"filter\", \"rules\": [{\"scope\": \"saml-write\", \"grantTypes\": [\"password\"]}]}");
            assertRefused(browser().idpInitiated(SAML_CLIENT, ALICE, PASSWORD), "scope &#39;saml-write&#39; is not permitted");
        } finally {
            realm.policy(SAML_WRITE_FOR_WRITERS);
        }
    }

    /** A rule names saml-write, which is renamed since: OIDC answers 500 server_error, and so does SAML, before any login. */
    @Test
    void anUnreadablePolicyRefusesSaml() {
        realm.policy(SAML_WRITE_FOR_WRITERS);
        ClientScopeResource scope = realm.realm().clientScopes().get(realm.clientScopeId("saml-write"));
        ClientScopeRepresentation renamed = scope.toRepresentation();
        renamed.setName("saml-write-renamed");
        scope.update(renamed);
        try {
            Answer oidc = realm.password(ALICE, "read");
            assertThat(oidc.status()).as(oidc.toString()).isEqualTo(500);

            SamlFlows.Result saml = browser().idpInitiated(SAML_CLIENT, ALICE, PASSWORD);
            assertThat(saml.status()).as(saml.toString()).isEqualTo(500);
            assertThat(saml.body()).contains("scope policy unavailable");
            assertThat(saml.issuedAssertion()).isFalse();
            assertThat(browser().ecp(SAML_CLIENT, ACS, ALICE, PASSWORD).issuedAssertion()).isFalse();
            assertErrorEvent("server_error", "scope_policy_unavailable");
        } finally {
            renamed.setName("saml-write");
            scope.update(renamed);
        }
        assertThat(browser().idpInitiated(SAML_CLIENT, ALICE, PASSWORD).issuedAssertion()).as("readable again").isTrue();
    }

    /** Keycloak runs no code of a disabled required action: SAML, which only it judges, is refused meanwhile. */
    @Test
    void withTheRequiredActionDisabledSamlIsRefused() {
        realm.policy(SAML_WRITE_FOR_WRITERS);
        enableAction(false);
        try {
            SamlFlows.Result saml = browser().idpInitiated(SAML_CLIENT, ALICE, PASSWORD);
            assertThat(saml.status()).as(saml.toString()).isEqualTo(500);
            assertThat(saml.body()).contains("scope policy cannot be applied");
            SamlFlows.Result bob = browser().spInitiated(SAML_CLIENT, ACS, BOB, PASSWORD);
            assertThat(bob.issuedAssertion()).as(bob.toString()).isFalse();
            assertThat(String.valueOf(bob.samlResponse())).doesNotContain(ATTRIBUTE);
            assertErrorEvent("server_error", "scope_policy_not_applicable");
            PolicyComponents.clear(server, realm.name());
            assertThat(browser().idpInitiated(SAML_CLIENT, BOB, PASSWORD).issuedAssertion())
                    .as("without an active policy SAML is Keycloak's own").isTrue();
        } finally {
            enableAction(true);
            realm.policy(SAML_WRITE_FOR_WRITERS);
        }
    }

    /**
     * A login started while the action was enabled and finished after it was disabled: its login
     * form posts to Keycloak's login-actions, never to the SAML endpoint, so the protocol refuses
     * before building the assertion (found by an attack; Keycloak's restart cookie makes such a
     * pending login easy to prepare).
     */
    @Test
    void aLoginStartedBeforeTheActionWasDisabledIsRefusedWhenItFinishes() {
        realm.policy(SAML_WRITE_FOR_WRITERS);
        SamlFlows bobs = browser();
        SamlFlows.Result loginPage = bobs.startIdpInitiated(SAML_CLIENT);
        assertThat(loginPage.body()).as(loginPage.toString()).contains("kc-form-login");
        enableAction(false);
        try {
            SamlFlows.Result saml = bobs.signIn(loginPage, BOB, PASSWORD);
            assertThat(saml.issuedAssertion()).as(saml.toString()).isFalse();
            assertThat(saml.body() + String.valueOf(saml.samlResponse())).doesNotContain(ATTRIBUTE);
            assertThat(saml.status()).as(saml.toString()).isEqualTo(500);
            assertThat(saml.body()).contains("scope policy cannot be applied");
        } finally {
            enableAction(true);
        }
    }

    private void enableAction(boolean enabled) {
        realm.requiredAction(action -> action.setEnabled(enabled));
    }

    private void assertErrorEvent(String error, String reason) {
        assertThat(realm.errorEvents(error)).as("error events").anySatisfy(event ->
                assertThat(event.path("details").path("reason").asText()).isEqualTo(reason));
    }

    /** No assertion and no attribute of saml-write; the answer names the refusal. */
    static void assertRefused(SamlFlows.Result result, String says) {
        assertThat(result.issuedAssertion()).as("assertion issued: " + result).isFalse();
        assertThat(result.body() + String.valueOf(result.samlResponse())).as(result.toString())
                .doesNotContain(ATTRIBUTE).contains(says);
    }
}
