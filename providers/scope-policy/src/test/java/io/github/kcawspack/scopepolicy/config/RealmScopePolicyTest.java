package io.github.kcawspack.scopepolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopePolicyJson;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;

/** Reading a realm's components: whatever cannot be read fails closed, with the field in the message. */
class RealmScopePolicyTest {

    private final StoredRealm stored = new StoredRealm(Set.of("write"));

    private void rules(String json) {
        LegacyPolicyMigration.components(stored.realm.getId(), PolicySettings.DEFAULTS, ScopePolicyJson.parse(json).rules())
                .forEach(stored.realm::addComponentModel);
    }

    /** A session that keeps attributes as Keycloak's does for one request. */
    private static KeycloakSession request() {
        KeycloakSession session = mock(KeycloakSession.class);
        Map<String, Object> attributes = new HashMap<>();
        doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1))).when(session).setAttribute(anyString(), any());
        when(session.getAttribute(anyString(), any())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        return session;
    }

    @Test
    void everyEnforcementPointOfOneRequestJudgesByThePolicyTheRequestFirstRead() {
        rules("{\"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");
        KeycloakSession request = request();
        ScopePolicy first = RealmScopePolicy.of(request, stored.realm).orElseThrow();

        stored.components.clear();

        assertThat(RealmScopePolicy.of(request, stored.realm)).containsSame(first);
        assertThat(RealmScopePolicy.of(request(), stored.realm)).as("the next request reads the components again").isEmpty();
    }

    @Test
    void aPolicyThatCannotBeReadStaysUnreadableForTheWholeRequest() {
        rules("{\"rules\": []}");
        rules("{\"rules\": []}");
        KeycloakSession request = request();
        assertThatThrownBy(() -> RealmScopePolicy.of(request, stored.realm)).isInstanceOf(RealmScopePolicy.Unavailable.class);

        stored.components.clear();

        assertThatThrownBy(() -> RealmScopePolicy.of(request, stored.realm)).isInstanceOf(RealmScopePolicy.Unavailable.class);
    }

    @Test
    void aRealmWithoutItemsHasNoPolicy() {
        assertThat(RealmScopePolicy.of(stored.realm)).isEmpty();
    }

    @Test
    void rulesWithoutASettingsItemHoldWithTheDefaults() {
        rules("{\"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");
        stored.components.removeIf(c -> c.getProviderId().equals(PolicySettingsPageFactory.PROVIDER_ID));

        assertThat(RealmScopePolicy.of(stored.realm).orElseThrow().rules()).hasSize(1);
    }

    @Test
    void aRuleWhoseScopeWasDeletedSinceFailsClosedNamingTheField() {
        rules("{\"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");
        StoredRealm withoutWrite = new StoredRealm(Set.of("read"));
        stored.components.forEach(withoutWrite.realm::addComponentModel);

        assertThatThrownBy(() -> RealmScopePolicy.of(withoutWrite.realm)).isInstanceOf(RealmScopePolicy.Unavailable.class)
                .hasMessageContaining("Scope: scope 'write' does not exist in this realm");
    }

    @Test
    void anImportedInvalidFieldFailsClosed() {
        rules("{\"rules\": [{\"scope\": \"write\", \"realmRoles\": [\"writer\"]}]}");
        ComponentModel rule = stored.components.get(1);
        rule.getConfig().add(RuleComponent.AWS_PRINCIPALS, "123:role/x");

        assertThatThrownBy(() -> RealmScopePolicy.of(stored.realm)).isInstanceOf(RealmScopePolicy.Unavailable.class)
                .hasMessageContaining("AWS principals: entry 1: account must be exactly 12 digits");
    }

    @Test
    void twoSettingsItemsFailClosed() {
        rules("{\"rules\": []}");
        rules("{\"rules\": []}");

        assertThatThrownBy(() -> RealmScopePolicy.of(stored.realm)).isInstanceOf(RealmScopePolicy.Unavailable.class)
                .hasMessageContaining("2 items on the restricted-scope-settings page");
    }
}
