package io.github.kcawspack.scopepolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.scopepolicy.model.Mode;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.provider.ProviderConfigProperty;

/** The settings item: typed, with the defaults the console prints. */
class PolicySettingsTest {

    private static ComponentModel item(MultivaluedHashMap<String, String> config) {
        ComponentModel model = new ComponentModel();
        model.setConfig(config);
        return model;
    }

    @Test
    void anEmptyItemHasTheDefaults() {
        assertThat(PolicySettings.from(item(new MultivaluedHashMap<>()))).isEqualTo(PolicySettings.DEFAULTS);
        assertThat(PolicySettings.DEFAULTS).isEqualTo(new PolicySettings(true, Mode.FILTER, false, Set.of()));
    }

    @Test
    void theSettingsReadBackEqual() {
        PolicySettings settings = new PolicySettings(false, Mode.REJECT, true, Set.of("urn:a", "urn:b"));

        assertThat(PolicySettings.from(item(settings.toConfig()))).isEqualTo(settings);
    }

    @Test
    void theConsoleDefaultsAreTheCodesDefaults() {
        assertThat(PolicySettingsProperties.PROPERTIES).extracting(ProviderConfigProperty::getName)
                .containsExactly("enabled", "mode", "strict", "allowGrantTypes");
        assertThat(PolicySettingsProperties.PROPERTIES.get(0).getDefaultValue()).isEqualTo("true");
        assertThat(PolicySettingsProperties.PROPERTIES.get(1).getDefaultValue()).isEqualTo("filter");
        assertThat(PolicySettingsProperties.PROPERTIES.get(2).getDefaultValue()).isEqualTo("false");
    }

    @Test
    void aMistypedValueIsRefusedNamingItsFieldNeverReadAsFalse() {
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle("enabled", "flase");
        assertThatThrownBy(() -> PolicySettings.from(item(config))).hasMessage("Enabled: must be true or false");

        MultivaluedHashMap<String, String> mode = new MultivaluedHashMap<>();
        mode.putSingle("mode", "deny");
        assertThatThrownBy(() -> PolicySettings.from(item(mode))).hasMessage("Mode: mode must be filter or reject");
    }
}
