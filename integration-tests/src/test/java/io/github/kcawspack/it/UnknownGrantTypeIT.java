package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.TEST_ONLY_GRANT;
import static io.github.kcawspack.it.harness.PolicyRealm.assertRefused;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: a grant type the pack has never heard of. The tests' Keycloak (only it) carries
 * test-providers/unknown-grant-type, {@value PolicyRealm#TEST_ONLY_GRANT}: Keycloak's client
 * credentials grant under another id, which takes the scope parameter as it is. While a realm has
 * a restricted-scope policy such a grant is refused with unauthorized_client, unless the policy's
 * allowGrantTypes lists it; then its tokens are still judged, and since it cannot be narrowed a
 * withheld scope is refused with invalid_scope.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "unknown-grant-policy", loginTheme = "aws-pack")
class UnknownGrantTypeIT {

    @Injected
    KeycloakServer server;
    @Injected
    PolicyRealm realm;

    @BeforeEach
    void writeNeedsWriter() {
        realm.policy(PolicyRealm.FILTER_WRITE_FOR_WRITERS);
    }

    @Test
    void theTestsKeycloakRegistersTheTestOnlyGrantType() {
        assertThat(server.grantTypes()).contains(TEST_ONLY_GRANT);
    }

    @Test
    void withoutAPolicyTheGrantIssuesWhateverItIsAskedFor() {
        realm.disablePolicy();

        realm.assertIssuedWithWrite(testOnlyGrant("read write"));
    }

    @Test
    void withAPolicyTheGrantIsRefusedAsUnauthorizedClientWithAnErrorEvent() {
        Answer answer = testOnlyGrant("read");

        assertRefused(answer, "unauthorized_client");
        assertThat(answer.text("error_description")).isEqualTo("grant type '" + TEST_ONLY_GRANT
                + "' is not allowed while the realm has a restricted-scope policy");
        assertThat(realm.errorEvents("not_allowed")).as("an error event says why")
                .anySatisfy(event -> assertThat(event.path("details").path("reason").asText()).isEqualTo("scope_policy_grant_type"));
    }

    @Test
    void allowedByThePolicyTheGrantIssuesATokenWithoutTheWithheldScope() {
        realm.policy(allowingTheTestOnlyGrant());

        Answer answer = testOnlyGrant("read");

        realm.assertIssuedWithoutWrite(answer);
        assertThat(PolicyRealm.words(answer.text("scope"))).contains("read");
    }

    @Test
    void allowedByThePolicyATokenCarryingTheWithheldScopeIsRefusedWithInvalidScope() {
        realm.policy(allowingTheTestOnlyGrant());

        Answer answer = testOnlyGrant("read write");

        assertRefused(answer, "invalid_scope");
        assertThat(answer.text("error_description")).contains("'write'");
    }

    @Test
    void allowedByThePolicyAServiceAccountWithTheRoleGetsWrite() {
        realm.policy(allowingTheTestOnlyGrant());
        String serviceAccount = realm.serviceAccountId(PolicyRealm.CLIENT);
        realm.grantRealmRole(serviceAccount, "writer");
        try {
            realm.assertIssuedWithWrite(testOnlyGrant("read write"));
        } finally {
            realm.revokeRealmRole(serviceAccount, "writer");
        }
    }

    private static String allowingTheTestOnlyGrant() {
        return """
                {"mode": "filter", "allowGrantTypes": ["%s"], "rules": [{"scope": "write", "realmRoles": ["writer"]}]}"""
                .formatted(TEST_ONLY_GRANT);
    }

    /** The grant as a client uses it: the confidential client, its scope parameter, nothing else. */
    private Answer testOnlyGrant(String scope) {
        return realm.oauth().token(form("grant_type", TEST_ONLY_GRANT, "scope", scope), PolicyRealm.CLIENT_BASIC);
    }
}
