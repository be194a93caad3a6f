package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.FILTER_WRITE_FOR_WRITERS;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import io.github.kcawspack.it.harness.PolicyRealm.AdminAnswer;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, case 6: a policy whose rule names a client scope the realm does not have (a typo such
 * as {@code wirte}) is refused on save through the admin REST API, with a message naming the
 * scope, and the policy in force stays as it was; a valid policy still saves. The console:
 * ScopePolicyTypoConsoleIT.
 */
@ExtendWith(KeycloakExtension.class)
class ScopePolicyValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPO = "{\"mode\": \"filter\", \"rules\": [{\"scope\": \"wirte\", \"realmRoles\": [\"writer\"]}]}";

    private static PolicyRealm realm;
    private static KeycloakServer server;

    @BeforeAll
    static void createRealm(KeycloakServer keycloak) {
        server = keycloak;
        realm = PolicyRealm.create(server, "validation");
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.close();
        }
    }

    @BeforeEach
    void startFromTheWritePolicy() {
        realm.policy(FILTER_WRITE_FOR_WRITERS);
    }

    @Test
    void aPolicyNamingAScopeThatDoesNotExistIsRefusedWithAMessageNamingIt() {
        AdminAnswer refused = realm.savePolicy(TYPO);

        assertRefusedAndNothingSaved(refused);
        assertThat(refused.body()).as("the message names the scope").contains("wirte");
    }

    @Test
    void aTypoInALaterRuleIsRefusedToo() {
        AdminAnswer refused = realm.savePolicy("""
                {"mode": "filter", "rules": [
                  {"scope": "write", "realmRoles": ["writer"]},
                  {"scope": "raed", "realmRoles": ["writer"]}]}
                """);

        assertRefusedAndNothingSaved(refused);
        assertThat(refused.body()).as("the message names the scope").contains("raed");
    }

    /** The demo realm has a client scope deploy; this realm does not: existence is per realm. */
    @Test
    void aScopeThatExistsOnlyInAnotherRealmIsRefused() {
        AdminAnswer refused = realm.savePolicy("{\"rules\": [{\"scope\": \"deploy\", \"realmRoles\": [\"writer\"]}]}");

        assertRefusedAndNothingSaved(refused);
        assertThat(refused.body()).as("the message names the scope").contains("deploy");
    }

    /**
     * The required action's own update (PUT required-actions/{alias}) also carries a config map,
     * and Keycloak stores it without asking the action to validate it (its config endpoint does
     * ask). The pack cannot refuse that save; the realm then fails closed, as after an import.
     */
    @Test
    void aPolicySavedThroughTheRequiredActionUpdateUncheckedRefusesTokens() throws Exception {
        assertSavedUncheckedFailsClosed(TYPO);
    }

    /** The same way around, for a policy that does not even parse (README: "Unknown fields are errors"). */
    @Test
    void anUnparseablePolicySavedThroughTheRequiredActionUpdateRefusesTokens() throws Exception {
        assertSavedUncheckedFailsClosed("{\"rules\": [{\"scope\": \"write\", \"realmRole\": [\"writer\"]}]}");
    }

    private static void assertSavedUncheckedFailsClosed(String policy) throws Exception {
        ObjectNode action = (ObjectNode) realm.adminJson("GET", "/authentication/required-actions/restricted-scope-policy", null);
        action.putObject("config").put("policy", policy);
        try {
            AdminAnswer answer = realm.tryAdmin("PUT", "/authentication/required-actions/restricted-scope-policy", action.toString());
            assertThat(answer.status()).as("Keycloak stores it unchecked: " + answer).isLessThan(300);

            Answer bob = realm.password(BOB, "read write");

            assertThat(bob.status()).as(bob.toString()).isEqualTo(500);
            assertThat(bob.text("error")).isEqualTo("server_error");
            assertThat(bob.text("error_description")).isEqualTo("scope policy unavailable");
            assertThat(bob.json().has("access_token")).isFalse();
        } finally {
            assertThat(realm.savePolicy(FILTER_WRITE_FOR_WRITERS).status()).isEqualTo(204);
        }
        assertThePolicyInForceIsStillTheWritePolicy();
    }

    @Test
    void aValidPolicyNamingExistingScopesStillSaves() throws Exception {
        String valid = "{\"mode\": \"reject\", \"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]},"
                + " {\"scope\": \"read\", \"realmRoles\": [\"writer\"]}]}";

        AdminAnswer saved = realm.savePolicy(valid);

        assertThat(saved.status()).as(saved.toString()).isEqualTo(204);
        assertThat(JSON.readTree(realm.policy())).isEqualTo(JSON.readTree(valid));
        assertThat(realm.password(BOB, "read").text("error")).as("the saved policy is the one in force").isEqualTo("invalid_scope");
    }

    /**
     * An import does not pass the console's check (Keycloak calls no validation there): a realm
     * imported with such a policy fails closed, refusing tokens instead of issuing them unrestricted.
     */
    @Test
    void aRealmImportedWithSuchAPolicyRefusesTokens() throws Exception {
        String name = "imported-typo-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode imported = (ObjectNode) JSON.readTree("""
                {"realm": "%s", "enabled": true,
                 "users": [{"username": "bob", "enabled": true, "email": "bob@example.com", "emailVerified": true,
                            "firstName": "Bob", "lastName": "Tester",
                            "credentials": [{"type": "password", "value": "%s", "temporary": false}]}],
                 "clients": [{"clientId": "app", "enabled": true, "publicClient": false, "secret": "app-secret",
                              "directAccessGrantsEnabled": true}],
                 "requiredActions": [{"alias": "restricted-scope-policy", "name": "Restricted scope policy",
                                      "providerId": "restricted-scope-policy", "enabled": true,
                                      "defaultAction": false, "priority": 1000, "config": {}}]}
                """.formatted(name, PolicyRealm.PASSWORD));
        ((ObjectNode) imported.get("requiredActions").get(0).get("config")).put("policy", TYPO);
        OAuthClient.admin(server, "POST", "/admin/realms", imported.toString());
        try {
            Answer bob = new OAuthClient(server, name).token(OAuthClient.form("grant_type", "password",
                    "username", "bob", "password", PolicyRealm.PASSWORD, "client_id", "app", "client_secret", "app-secret",
                    "scope", "openid"));

            assertThat(bob.status()).as(bob.toString()).isEqualTo(500);
            assertThat(bob.text("error")).isEqualTo("server_error");
            assertThat(bob.text("error_description")).isEqualTo("scope policy unavailable");
            assertThat(bob.json().has("access_token")).isFalse();
        } finally {
            OAuthClient.admin(server, "DELETE", "/admin/realms/" + name, null);
        }
    }

    /** Both halves reported together: the answer, and what the realm holds afterwards. */
    private static void assertRefusedAndNothingSaved(AdminAnswer answer) {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(answer.status()).as("answer: " + answer).isEqualTo(400);
        softly.assertThat(realm.policy()).as("the policy the realm holds afterwards").isEqualTo(FILTER_WRITE_FOR_WRITERS);
        softly.assertAll();
        assertThePolicyInForceIsStillTheWritePolicy();
    }

    private static void assertThePolicyInForceIsStillTheWritePolicy() {
        assertThat(realm.policy()).isEqualTo(FILTER_WRITE_FOR_WRITERS);
        Answer bob = realm.password(BOB, "read write");
        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        assertThat(words(bob.text("scope"))).as("write stays withheld from bob").contains("read").doesNotContain("write");
    }
}
