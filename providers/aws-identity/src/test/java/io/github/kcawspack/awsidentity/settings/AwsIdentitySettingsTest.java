package io.github.kcawspack.awsidentity.settings;

import static io.github.kcawspack.awsidentity.settings.Items.binding;
import static io.github.kcawspack.awsidentity.settings.Items.component;
import static io.github.kcawspack.awsidentity.settings.Items.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.principal.PrincipalBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;

/**
 * The one reader of a realm's settings: bindings in priority order whatever order the components
 * come back in; anything invalid fails the whole realm closed with the message the console shows.
 */
class AwsIdentitySettingsTest {

    @Test
    void bindingsAreTriedByPriorityNeverByStorageOrder() {
        List<ComponentModel> items = new ArrayList<>(List.of(
                component(PrincipalBindingsPage.ID, "a", binding(30, "c-*")),
                component(PrincipalBindingsPage.ID, "b", binding(5, "a-*")),
                component(PrincipalBindingsPage.ID, "c", binding(1000, "d-*")),
                component(PrincipalBindingsPage.ID, "d", binding(20, "b-*")),
                component("some-other-page", "e", config("anything", "x"))));
        Random random = new Random(42);
        for (int shuffle = 0; shuffle < 20; shuffle++) {
            Collections.shuffle(items, random);

            assertThat(AwsIdentitySettings.from(items).bindings().bindings()).extracting(PrincipalBinding::namePattern)
                    .containsExactly("a-*", "b-*", "c-*", "d-*");
        }
    }

    @Test
    void aRealmWithoutASettingsItemHasTheDefaults() {
        AwsIdentitySettings settings = AwsIdentitySettings.from(List.of(component(PrincipalBindingsPage.ID, "a", binding(1, "*"))));

        assertThat(settings.realm()).isEqualTo(RealmSettings.defaults());
    }

    @Test
    void theSettingsItemIsRead() {
        AwsIdentitySettings settings = AwsIdentitySettings.from(List.of(
                component(RealmSettingsPage.ID, "s", config("maxAgeSeconds", "120"))));

        assertThat(settings.realm().maxAge()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.bindings().bindings()).isEmpty();
    }

    @Test
    void twoBindingsWithOnePriorityFailTheRealmClosed() {
        assertThatThrownBy(() -> AwsIdentitySettings.from(List.of(
                component(PrincipalBindingsPage.ID, "a", binding(10, "a-*")),
                component(PrincipalBindingsPage.ID, "b", binding(10, "b-*")))))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("aws-principal-bindings item b: Priority 10 is already used by another binding of this realm: "
                        + "give each binding its own priority (lowest is tried first)");
    }

    @Test
    void oneInvalidBindingFailsTheRealmClosedWithTheConsoleMessage() {
        var broken = binding(20, "b-*");
        broken.put("account", List.of("12345"));
        ComponentModel item = component(PrincipalBindingsPage.ID, "id-2", broken);
        item.setName("deployers");

        assertThatThrownBy(() -> AwsIdentitySettings.from(List.of(component(PrincipalBindingsPage.ID, "id-1", binding(10, "a-*")), item)))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("aws-principal-bindings item deployers: Account ID must be exactly 12 digits (no wildcards)");
    }

    @Test
    void anInvalidSettingsItemFailsTheRealmClosed() {
        assertThatThrownBy(() -> AwsIdentitySettings.from(List.of(
                component(RealmSettingsPage.ID, "s", config("clockSkewSeconds", "abc")),
                component(PrincipalBindingsPage.ID, "a", binding(10, "a-*")))))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("aws-identity-settings item s: Allowed clock skew (seconds) must be a whole number from 0 to 86400");
    }

    @Test
    void twoSettingsItemsFailTheRealmClosed() {
        assertThatThrownBy(() -> AwsIdentitySettings.from(List.of(
                component(RealmSettingsPage.ID, "s1", config()), component(RealmSettingsPage.ID, "s2", config()))))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("already has its AWS identity settings item");
    }
}
