package io.github.kcawspack.scopepolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopePolicyJson;
import io.github.kcawspack.scopepolicy.model.ScopeRule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

/**
 * A rule item as the console saves it: each field read by the model's own checks, and a problem
 * named by the label the console shows next to the field.
 */
class RuleComponentTest {

    private static final Set<String> REALM_SCOPES = Set.of("write", "deploy", "groups");

    private static ComponentModel item(String... keyValues) {
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.add(keyValues[i], keyValues[i + 1]);
        }
        ComponentModel model = new ComponentModel();
        model.setConfig(config);
        return model;
    }

    @Test
    void everyRuleOfTheDocumentedJsonBecomesAnItemThatReadsBackEqual() {
        ScopePolicy policy = ScopePolicyJson.parse("""
                {"mode": "reject", "strict": true, "allowGrantTypes": ["urn:x"], "rules": [
                  {"scope": "write", "realmRoles": ["writer", "admin"], "clients": ["web-app"], "mode": "filter"},
                  {"scope": "groups", "groups": ["/staff", "/staff~/contractors"]},
                  {"scope": "deploy", "clientRoles": {"https://api.example/": ["deployer"], "ops": ["a", "b"]},
                   "awsPrincipals": [{"account": "123456789012", "type": "role", "name": "deploy*"}],
                   "grantTypes": ["aws_identity"]}]}""");

        for (ScopeRule rule : policy.rules()) {
            ComponentModel model = new ComponentModel();
            model.setConfig(RuleComponent.toConfig(rule));
            assertThat(RuleComponent.toRule(model)).isEqualTo(rule);
        }
    }

    @Test
    void theFieldsAreWrittenAsAnOperatorTypesThem() {
        ScopeRule rule = ScopePolicyJson.parse("""
                {"rules": [{"scope": "deploy", "clientRoles": {"api": ["deployer"]},
                  "awsPrincipals": [{"account": "123456789012", "type": "role", "name": "deployer"}]}]}""").rules().get(0);

        MultivaluedHashMap<String, String> config = RuleComponent.toConfig(rule);

        assertThat(config.get("clientRoles")).containsExactly("api/deployer");
        assertThat(config.get("awsPrincipals")).containsExactly("123456789012:role/deployer");
        assertThat(config.getFirst("mode")).isEqualTo("settings");
    }

    @Test
    void aRuleForAScopeTheRealmLacksIsRefusedNamingTheScopeField() {
        assertThatThrownBy(() -> RealmScopePolicy.rule(item("scope", "wirte", "realmRoles", "writer"), REALM_SCOPES))
                .hasMessage("Scope: scope 'wirte' does not exist in this realm");
    }

    @Test
    void anEntryOfSpacesIsRefusedNotReadAsNoEntry() {
        // An attack: realmRoles [" "] read as "no realm roles" made a rule for writers admit everyone.
        assertThatThrownBy(() -> RealmScopePolicy.rule(item("scope", "write", "realmRoles", " "), REALM_SCOPES))
                .hasMessageStartingWith("Realm roles: an entry holds only spaces");
        assertThatThrownBy(() -> RealmScopePolicy.rule(item("scope", "write", "groups", "  "), REALM_SCOPES))
                .hasMessageStartingWith("Groups: an entry holds only spaces");
    }

    @Test
    void theConsoleShowsTheMessageAsWrittenQuotesIncluded() {
        // Keycloak runs a component validation message through MessageFormat before showing it.
        String shown = java.text.MessageFormat.format(RuleProperties.validationError("Scope: scope 'wirte' does not exist").getMessage(),
                (Object[]) null);

        assertThat(shown).isEqualTo("Scope: scope 'wirte' does not exist");
    }

    @Test
    void eachProblemIsNamedByItsField() {
        assertThatThrownBy(() -> RuleComponent.toRule(item("realmRoles", "writer")))
                .hasMessage("Scope: scope must be a scope name (RFC 6749 scope-token)");
        assertThatThrownBy(() -> RuleComponent.toRule(item("scope", "write", "groups", "staff")))
                .hasMessage("Groups: group staff must be a full path such as /staff");
        assertThatThrownBy(() -> RuleComponent.toRule(item("scope", "write", "awsPrincipals", "12345:role/x")))
                .hasMessage("AWS principals: entry 1: account must be exactly 12 digits (no wildcards)");
        assertThatThrownBy(() -> RuleComponent.toRule(item("scope", "write", "awsPrincipals", "123456789012:group/x")))
                .hasMessage("AWS principals: entry 1: type must be role or user");
        assertThatThrownBy(() -> RuleComponent.toRule(item("scope", "write", "awsPrincipals", "arn:aws:iam::1:role/x")))
                .hasMessageStartingWith("AWS principals: entry 1: ");
        assertThatThrownBy(() -> RuleComponent.toRule(item("scope", "write", "clientRoles", "api/ok", "clientRoles", "deployer")))
                .hasMessage("Client roles: entry 2 must be client-id/role");
        assertThatThrownBy(() -> RuleComponent.toRule(item("scope", "write", "mode", "block")))
                .hasMessage("Mode: mode must be filter or reject");
    }

    @Test
    void emptyEntriesAndTheSettingsModeAreNothing() {
        ScopeRule rule = RuleComponent.toRule(item("scope", " write ", "realmRoles", "", "realmRoles", "writer", "mode", "settings"));

        assertThat(rule.scope()).isEqualTo("write");
        assertThat(rule.realmRoles()).containsExactly("writer");
        assertThat(rule.mode()).isEmpty();
        assertThat(rule.groups()).isEmpty();
        assertThat(rule.awsPrincipals()).isEqualTo(List.of());
    }
}
