package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.FILTER_WRITE_FOR_WRITERS;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kcawspack.it.harness.AdminRest;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyComponents;
import io.github.kcawspack.it.harness.PolicyRealm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13 case 6 and issue 16: a rule item is validated on save through the admin REST API (the
 * console saves the same way) with a message naming the field, and what is refused leaves the
 * policy in force as it was; a valid rule holds on the next token request; a rule that became
 * invalid afterwards (its client scope deleted) fails closed with the problem in the error event.
 * The console itself: ScopePolicyTypoConsoleIT; realm imports: ScopePolicyMigrationIT.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "validation")
class ScopePolicyValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Injected
    PolicyRealm realm;
    @Injected
    KeycloakServer server;

    @BeforeEach
    void startFromTheWritePolicy() {
        realm.policy(FILTER_WRITE_FOR_WRITERS);
    }

    private ObjectNode rule(String json) throws Exception {
        ObjectNode rule = PolicyComponents.rule(JSON.readTree(json));
        rule.put("parentId", PolicyComponents.realmId(server, realm.name()));
        return rule;
    }

    @Test
    void aRuleForAScopeThatDoesNotExistIsRefusedWithAMessageNamingTheField() throws Exception {
        AdminRest.Answer refused = tryAdmin("POST", "/components", rule("{\"scope\": \"wirte\", \"realmRoles\": [\"writer\"]}").toString());

        assertRefused(refused, "Scope: scope 'wirte' does not exist in this realm");
    }

    @Test
    void anAwsPrincipalThatIsNoPrincipalIsRefusedNamingItsField() throws Exception {
        ObjectNode bad = rule("{\"scope\": \"write\"}");
        ((ObjectNode) bad.get("config")).putArray("awsPrincipals").add("123456789012:role/deployer").add("12345:role/x");

        assertRefused(tryAdmin("POST", "/components", bad.toString()),
                "AWS principals: entry 2: account must be exactly 12 digits (no wildcards)");
    }

    @Test
    void anUpdateThatWouldBreakARuleIsRefusedAndTheRuleStaysAsItWas() {
        JsonNode stored = PolicyComponents.items(server, realm.name()).stream()
                .filter(item -> PolicyComponents.RULES.equals(item.path("providerId").asText())).findFirst().orElseThrow();
        ObjectNode changed = stored.deepCopy();
        ((ObjectNode) changed.get("config")).putArray("groups").add("staff");

        assertRefused(tryAdmin("PUT", "/components/" + stored.get("id").asText(), changed.toString()),
                "Groups: group staff must be a full path such as /staff");
    }

    @Test
    void aSecondSettingsItemIsRefused() throws Exception {
        ObjectNode settings = PolicyComponents.components("{\"rules\": []}", true).get(0);
        settings.put("parentId", PolicyComponents.realmId(server, realm.name()));

        assertRefused(tryAdmin("POST", "/components", settings.toString()),
                "This realm already has its restricted-scope settings: edit that item");
    }

    @Test
    void aValidRuleIsSavedAndHoldsOnTheNextTokenRequest() throws Exception {
        AdminRest.Answer saved = tryAdmin("POST", "/components", rule("{\"scope\": \"read\", \"realmRoles\": [\"writer\"]}").toString());
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);

        assertThat(words(realm.password(BOB, "read write").text("scope"))).doesNotContain("read", "write");
        assertThat(words(realm.password(ALICE, "read write").text("scope"))).contains("read", "write");
    }

    /**
     * Keycloak checks a rule when it is saved, not when the client scope it names is deleted
     * later: such a rule protects nothing, so the realm refuses tokens (500 server_error, as for
     * any unreadable policy) and the error event says which rule and field, for the operator.
     */
    @Test
    void aRuleWhoseScopeWasDeletedSinceFailsClosedWithTheProblemInTheErrorEvent() throws Exception {
        String scopeId = realm.createClientScope("{\"name\": \"reports\", \"protocol\": \"openid-connect\"}");
        String ruleId = PolicyComponents.create(server, realm.name(), PolicyComponents.rule(JSON.readTree(
                "{\"scope\": \"reports\", \"realmRoles\": [\"writer\"]}")));
        realm.realm().clientScopes().get(scopeId).remove();
        try {
            Answer bob = realm.password(BOB, "read");

            assertThat(bob.status()).as(bob.toString()).isEqualTo(500);
            assertThat(bob.text("error")).isEqualTo("server_error");
            assertThat(bob.text("error_description")).as("the client learns nothing of the policy").isEqualTo("scope policy unavailable");
            assertThat(realm.errorEvents("server_error")).anySatisfy(event -> {
                assertThat(event.path("details").path("reason").asText()).isEqualTo("scope_policy_unavailable");
                assertThat(event.path("details").path("scope_policy_problem").asText())
                        .contains("rule " + ruleId, "Scope: scope 'reports' does not exist in this realm");
            });
        } finally {
            realm.realm().components().component(ruleId).remove();
        }
    }

    /**
     * The admin API's own answer to saving {@code json} at {@code realmPath}: by hand
     * ({@link AdminRest}), since the refusal's 400 body, the message the console shows, is what
     * these tests read and the admin client drops it.
     */
    private AdminRest.Answer tryAdmin(String method, String realmPath, String json) {
        return server.adminRest().call(method, realm.path(realmPath), json);
    }

    /** The refusal names the field, and the policy in force is still the write policy. */
    private void assertRefused(AdminRest.Answer answer, String message) {
        assertThat(answer.status()).as("answer: " + answer).isEqualTo(400);
        assertThat(answer.body()).contains(message);
        assertThat(PolicyComponents.items(server, realm.name())).as("nothing was saved").hasSize(2);
        Answer bob = realm.password(BOB, "read write");
        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        assertThat(words(bob.text("scope"))).as("write stays withheld from bob").contains("read").doesNotContain("write");
    }
}
