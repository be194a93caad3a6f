package io.github.kcawspack.scopepolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.github.kcawspack.scopepolicy.model.Mode;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopePolicyJson;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;

/**
 * The JSON string of earlier versions becomes components once, nothing lost, and the realm is
 * never silently unprotected on the way: what cannot be migrated stays and fails closed; a realm
 * with both keeps its components.
 */
class LegacyPolicyMigrationTest {

    private static final String POLICY = """
            {"mode": "reject", "strict": false, "allowGrantTypes": ["urn:ietf:params:oauth:grant-type:uma-ticket"], "rules": [
              {"scope": "write", "realmRoles": ["writer"]},
              {"scope": "write", "clients": ["web-app"], "realmRoles": ["writer"], "mode": "filter"},
              {"scope": "deploy", "awsPrincipals": [{"account": "123456789012", "type": "role", "name": "deployer"}],
               "grantTypes": ["aws_identity"]}]}""";

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final StoredRealm stored = new StoredRealm(Set.of("write", "deploy", "read"));

    @Test
    void anEnabledActionsPolicyBecomesTheSamePolicyAsComponentsAndTheStringGoes() {
        stored.legacy(POLICY, true);
        assertThat(LegacyPolicyMigration.pending(stored.realm)).isTrue();

        assertThat(LegacyPolicyMigration.migrate(session, stored.realm)).isTrue();

        ScopePolicy migrated = RealmScopePolicy.of(stored.realm).orElseThrow();
        ScopePolicy before = ScopePolicyJson.parse(POLICY);
        assertThat(new HashSet<>(migrated.rules())).isEqualTo(new HashSet<>(before.rules()));
        assertThat(migrated.rules()).hasSize(3);
        assertThat(migrated.defaultMode()).isEqualTo(Mode.REJECT);
        assertThat(migrated.allowedGrantTypes()).isEqualTo(before.allowedGrantTypes());
        assertThat(stored.actionConfig.getConfig()).doesNotContainKey(LegacyPolicyMigration.LEGACY_KEY);
        assertThat(LegacyPolicyMigration.pending(stored.realm)).isFalse();
        assertThat(LegacyPolicyMigration.migrate(session, stored.realm)).as("a second start changes nothing").isFalse();
        assertThat(stored.components).hasSize(4);
    }

    @Test
    void aDisabledActionsPolicyIsKeptSwitchedOff() {
        stored.legacy(POLICY, false);

        assertThat(LegacyPolicyMigration.migrate(session, stored.realm)).isTrue();

        assertThat(RealmScopePolicy.of(stored.realm)).isEmpty();
        assertThat(RealmScopePolicy.items(stored.realm, ScopeRulePageFactory.PROVIDER_ID)).hasSize(3);
    }

    @Test
    void aStringThatCannotBeMigratedStaysAndTheRealmRefusesTokens() {
        stored.legacy("{\"rules\": [{\"scope\": \"wirte\", \"realmRoles\": [\"writer\"]}]}", true);

        assertThat(LegacyPolicyMigration.migrate(session, stored.realm)).isFalse();

        assertThat(stored.components).isEmpty();
        assertThat(stored.actionConfig.getConfig()).containsKey(LegacyPolicyMigration.LEGACY_KEY);
        assertThatThrownBy(() -> RealmScopePolicy.of(stored.realm)).isInstanceOf(RealmScopePolicy.Unavailable.class)
                .hasMessageContaining("still a JSON string");
    }

    @Test
    void whenARealmHasBothNothingIsMigratedAndThePolicyIsUnavailableUntilTheStringIsGone() {
        stored.legacy("{\"rules\": [{\"scope\": \"read\", \"realmRoles\": [\"reader\"]}]}", true);
        LegacyPolicyMigration.components(stored.realm.getId(), PolicySettings.DEFAULTS,
                ScopePolicyJson.parse("{\"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}").rules())
                .forEach(stored.realm::addComponentModel);

        assertThat(LegacyPolicyMigration.migrate(session, stored.realm)).isFalse();

        assertThat(stored.actionConfig.getConfig()).containsKey(LegacyPolicyMigration.LEGACY_KEY);
        assertThatThrownBy(() -> RealmScopePolicy.of(stored.realm)).isInstanceOf(RealmScopePolicy.Unavailable.class)
                .hasMessageContaining("both as items");

        stored.actionConfig.getConfig().remove(LegacyPolicyMigration.LEGACY_KEY);
        ScopePolicy policy = RealmScopePolicy.of(stored.realm).orElseThrow();
        assertThat(policy.rules()).extracting(rule -> rule.scope()).containsExactly("write");
    }
}
