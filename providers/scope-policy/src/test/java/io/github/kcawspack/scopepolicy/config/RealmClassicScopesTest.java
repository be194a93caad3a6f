package io.github.kcawspack.scopepolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.scopepolicy.model.ClassicScopes;
import io.github.kcawspack.scopepolicy.model.ScopeSemantics;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

class RealmClassicScopesTest {

    private static final Set<String> OPTIONAL = Set.of("read", "write", "groups");

    private static ComponentModel item(String semantics, String... defaults) {
        ComponentModel item = new ComponentModel();
        item.setProviderId(ClassicScopesPageFactory.PROVIDER_ID);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle(ClassicScopesPageFactory.CLIENT_ID, "api-client");
        if (semantics != null) {
            config.putSingle(ClassicScopesPageFactory.SEMANTICS, semantics);
        }
        config.put(ClassicScopesPageFactory.DEFAULT_SCOPES, List.of(defaults));
        item.setConfig(config);
        return item;
    }

    @Test
    void readsTheSemanticsAndTheDefaultsInTheirOrder() {
        assertThat(RealmClassicScopes.read(item("rfc6749", "read", "write", "groups", "read"), OPTIONAL))
                .isEqualTo(new ClassicScopes(ScopeSemantics.RFC6749, List.of("read", "write", "groups")));
    }

    @Test
    void aDefaultThatIsNoOptionalScopeOfTheClientIsRefusedNamingTheField() {
        assertThatThrownBy(() -> RealmClassicScopes.read(item("rfc6749", "read", "profile"), OPTIONAL))
                .hasMessageStartingWith("Default scopes: scope 'profile' is not an optional client scope of the client");
    }

    @Test
    void unknownSemanticsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> RealmClassicScopes.read(item("django", "read"), OPTIONAL))
                .hasMessage("Semantics: semantics must be keycloak, rfc6749 or always-defaults");
        assertThatThrownBy(() -> RealmClassicScopes.read(item(null, "read"), OPTIONAL))
                .hasMessageStartingWith("Semantics: ");
    }

    @Test
    void rfc6749WithoutDefaultsIsRefused() {
        assertThatThrownBy(() -> RealmClassicScopes.read(item("always-defaults"), OPTIONAL))
                .hasMessage("Default scopes: name at least one scope for always-defaults");
        assertThat(RealmClassicScopes.read(item("keycloak"), OPTIONAL).semantics()).isEqualTo(ScopeSemantics.KEYCLOAK);
    }

    @Test
    void anEntryOfSpacesIsRefused() {
        assertThatThrownBy(() -> RealmClassicScopes.read(item("rfc6749", "read", "  "), OPTIONAL))
                .hasMessageStartingWith("Default scopes: an entry holds only spaces");
    }
}
