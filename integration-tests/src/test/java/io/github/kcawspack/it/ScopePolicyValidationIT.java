package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.FILTER_WRITE_FOR_WRITERS;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import io.github.kcawspack.it.harness.PolicyRealm.AdminAnswer;
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

    @BeforeAll
    static void createRealm(KeycloakServer server) {
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

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body()).contains("wirte");
        assertThePolicyInForceIsStillTheWritePolicy();
    }

    @Test
    void aTypoInALaterRuleIsRefusedToo() {
        AdminAnswer refused = realm.savePolicy("""
                {"mode": "filter", "rules": [
                  {"scope": "write", "realmRoles": ["writer"]},
                  {"scope": "raed", "realmRoles": ["writer"]}]}
                """);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body()).contains("raed");
        assertThePolicyInForceIsStillTheWritePolicy();
    }

    /** The demo realm has a client scope deploy; this realm does not: existence is per realm. */
    @Test
    void aScopeThatExistsOnlyInAnotherRealmIsRefused() {
        AdminAnswer refused = realm.savePolicy("{\"rules\": [{\"scope\": \"deploy\", \"realmRoles\": [\"writer\"]}]}");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body()).contains("deploy");
        assertThePolicyInForceIsStillTheWritePolicy();
    }

    /**
     * The required action's own update (PUT required-actions/{alias}) also carries a config map: it
     * must not be a way around the check.
     */
    @Test
    void theRequiredActionUpdateCannotSaveSuchAPolicyEither() throws Exception {
        ObjectNode action = (ObjectNode) realm.adminJson("GET", "/authentication/required-actions/restricted-scope-policy", null);
        action.putObject("config").put("policy", TYPO);

        AdminAnswer answer = realm.tryAdmin("PUT", "/authentication/required-actions/restricted-scope-policy", action.toString());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThePolicyInForceIsStillTheWritePolicy();
    }

    /** The same way around, for a policy that does not even parse (README: "Unknown fields are errors"). */
    @Test
    void theRequiredActionUpdateCannotSaveAPolicyThatDoesNotParse() throws Exception {
        ObjectNode action = (ObjectNode) realm.adminJson("GET", "/authentication/required-actions/restricted-scope-policy", null);
        action.putObject("config").put("policy", "{\"rules\": [{\"scope\": \"write\", \"realmRole\": [\"writer\"]}]}");

        AdminAnswer answer = realm.tryAdmin("PUT", "/authentication/required-actions/restricted-scope-policy", action.toString());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
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

    private static void assertThePolicyInForceIsStillTheWritePolicy() {
        assertThat(realm.policy()).isEqualTo(FILTER_WRITE_FOR_WRITERS);
        Answer bob = realm.password(BOB, "read write");
        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        assertThat(words(bob.text("scope"))).as("write stays withheld from bob").contains("read").doesNotContain("write");
    }
}
