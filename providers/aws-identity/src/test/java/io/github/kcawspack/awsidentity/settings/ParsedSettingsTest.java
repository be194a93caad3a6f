package io.github.kcawspack.awsidentity.settings;

import static io.github.kcawspack.awsidentity.settings.Items.binding;
import static io.github.kcawspack.awsidentity.settings.Items.component;
import static io.github.kcawspack.awsidentity.settings.Items.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.kcawspack.awsidentity.principal.PrincipalBinding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/**
 * The settings of a realm are read again whenever anything they are built from changed, and only
 * then: a change saved anywhere is in force for the next request, invalid settings are refused on
 * every request, and an unchanged realm does not pay for validating its bindings again.
 */
class ParsedSettingsTest {

    private final List<ComponentModel> items = new ArrayList<>();
    private final RealmModel realm = realm("realm-1", items);
    private final ParsedSettings parsed = new ParsedSettings();

    @Test
    void anUnchangedRealmIsNotReadAgain() {
        items.add(component(PrincipalBindingsPage.ID, "b1", binding(10, "deploy-*")));
        items.add(component("some-other-page", "x", config("anything", "1")));
        AwsIdentitySettings first = parsed.of(realm);

        // Fresh copies, as Keycloak's realm cache hands out after an unrelated change: equal content.
        items.replaceAll(ParsedSettingsTest::copy);
        assertThat(parsed.of(realm)).isSameAs(first);
    }

    @Test
    void aChangedValueIsReadAgainAtOnce() {
        items.add(component(PrincipalBindingsPage.ID, "b1", binding(10, "deploy-*")));
        assertThat(namePatterns(parsed.of(realm))).containsExactly("deploy-*");

        items.get(0).getConfig().putSingle("namePattern", "admin-*");
        assertThat(namePatterns(parsed.of(realm))).containsExactly("admin-*");
    }

    @Test
    void aValueChangedInTheReadItemObjectItselfIsSeen() {
        // The remembered copy is the cache's own: mutating the object it was read from changes nothing kept.
        ComponentModel item = component(PrincipalBindingsPage.ID, "b1", binding(10, "deploy-*"));
        items.add(item);
        parsed.of(realm);
        item.getConfig().get("namePattern").set(0, "admin-*");
        assertThat(namePatterns(parsed.of(realm))).containsExactly("admin-*");
    }

    @Test
    void addedRemovedAndRenamedItemsAreReadAgain() {
        items.add(component(PrincipalBindingsPage.ID, "b1", binding(10, "deploy-*")));
        parsed.of(realm);

        items.add(component(PrincipalBindingsPage.ID, "b2", binding(5, "admin-*")));
        assertThat(namePatterns(parsed.of(realm))).containsExactly("admin-*", "deploy-*");

        items.remove(1);
        assertThat(namePatterns(parsed.of(realm))).containsExactly("deploy-*");

        // Same content under another id: a deleted and re-created item.
        items.set(0, component(PrincipalBindingsPage.ID, "b3", binding(10, "deploy-*")));
        AwsIdentitySettings recreated = parsed.of(realm);
        items.set(0, component(PrincipalBindingsPage.ID, "b3", binding(10, "deploy-*")));
        assertThat(parsed.of(realm)).isSameAs(recreated);
    }

    @Test
    void anItemListedTwiceInPlaceOfAnotherIsReadAgain() {
        items.add(component(PrincipalBindingsPage.ID, "b1", binding(10, "deploy-*")));
        items.add(component(PrincipalBindingsPage.ID, "b2", binding(20, "admin-*")));
        parsed.of(realm);

        items.set(1, copy(items.get(0)));
        // Read again: two bindings with priority 10 are refused, where the kept settings would admit.
        assertThatThrownBy(() -> parsed.of(realm)).isInstanceOf(InvalidSettingsException.class);
    }

    @Test
    void realmSettingsAreComparedToo() {
        items.add(component(PrincipalBindingsPage.ID, "b1", binding(10, "deploy-*")));
        items.add(component(RealmSettingsPage.ID, "s1", config(RealmSettings.MAX_AGE_SECONDS, "900")));
        assertThat(parsed.of(realm).realm().maxAge()).hasSeconds(900);

        items.get(1).getConfig().putSingle(RealmSettings.MAX_AGE_SECONDS, "60");
        assertThat(parsed.of(realm).realm().maxAge()).hasSeconds(60);
    }

    @Test
    void invalidSettingsAreRefusedOnEveryRequestUntilFixed() {
        items.add(component(PrincipalBindingsPage.ID, "b1", binding(10, "deploy-*")));
        parsed.of(realm);
        items.get(0).getConfig().putSingle("account", "not-an-account");

        assertThatThrownBy(() -> parsed.of(realm)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> parsed.of(realm)).isInstanceOf(InvalidSettingsException.class);

        items.get(0).getConfig().putSingle("account", "123456789012");
        assertThat(namePatterns(parsed.of(realm))).containsExactly("deploy-*");
    }

    @Test
    void realmsAreKeptApart() {
        List<ComponentModel> otherItems = new ArrayList<>(List.of(component(PrincipalBindingsPage.ID, "b1", binding(10, "other-*"))));
        RealmModel other = realm("realm-2", otherItems);
        items.add(component(PrincipalBindingsPage.ID, "b1", binding(10, "deploy-*")));

        assertThat(namePatterns(parsed.of(realm))).containsExactly("deploy-*");
        assertThat(namePatterns(parsed.of(other))).containsExactly("other-*");
        assertThat(namePatterns(parsed.of(realm))).containsExactly("deploy-*");
    }

    private static RealmModel realm(String id, List<ComponentModel> items) {
        RealmModel realm = mock(RealmModel.class);
        when(realm.getId()).thenReturn(id);
        when(realm.getComponentsStream(id, AwsIdentitySettings.COMPONENT_TYPE)).thenAnswer(call -> new ArrayList<>(items).stream());
        when(realm.getName()).thenReturn(id);
        return realm;
    }

    private static ComponentModel copy(ComponentModel item) {
        ComponentModel copy = component(item.getProviderId(), item.getId(), item.getConfig());
        copy.setName(item.getName());
        return copy;
    }

    private static List<String> namePatterns(AwsIdentitySettings settings) {
        return settings.bindings().bindings().stream().map(PrincipalBinding::namePattern).toList();
    }
}
