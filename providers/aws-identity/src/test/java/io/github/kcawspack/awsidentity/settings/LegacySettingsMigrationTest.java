package io.github.kcawspack.awsidentity.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.principal.PrincipalBindings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;

/**
 * The settings of earlier versions (the flow step's configuration, bindings as a JSON string) map to
 * items that read back as exactly the same settings: same bindings in the same order, same values.
 */
class LegacySettingsMigrationTest {

    /** The demo realm's configuration as earlier versions exported it, plus every optional field. */
    private static final Map<String, String> LEGACY = Map.of(
            "bindings", "[{\"account\": \"123456789012\", \"type\": \"role\", \"namePattern\": \"staff-*\", "
                    + "\"provisionUsers\": true, \"groups\": [\"/staff\"], \"roles\": [\"writer\"]}, "
                    + "{\"partition\": \"aws-us-gov\", \"account\": \"123456789012\", \"type\": \"user\", "
                    + "\"namePattern\": \"ci-bot\", \"uniqueId\": \"AIDAEXAMPLE1\"}, "
                    + "{\"account\": \"123456789012\", \"type\": \"role\", \"namePattern\": \"*\", \"provisionUsers\": true}]",
            "requireAudience", "true",
            "extraAudiences", "https://sso.example.com/realms/demo##urn:demo",
            "maxAgeSeconds", "600",
            "clockSkewSeconds", "30");

    @Test
    void theItemsReadBackAsTheSameSettings() {
        LegacySettingsMigration.Mapped mapped = LegacySettingsMigration.map(LEGACY);

        List<ComponentModel> items = new ArrayList<>();
        items.add(Items.component(RealmSettingsPage.ID, "s", mapped.settings()));
        for (int i = mapped.bindings().size() - 1; i >= 0; i--) {
            items.add(Items.component(PrincipalBindingsPage.ID, "b" + i, mapped.bindings().get(i)));
        }
        AwsIdentitySettings read = AwsIdentitySettings.from(items);

        assertThat(read.bindings().bindings()).isEqualTo(PrincipalBindings.parse(LEGACY.get("bindings")).bindings());
        assertThat(read.realm()).isEqualTo(new RealmSettings(true, List.of("https://sso.example.com/realms/demo", "urn:demo"),
                java.time.Duration.ofSeconds(600), java.time.Duration.ofSeconds(30)));
    }

    @Test
    void prioritiesKeepTheListOrderWithRoomBetween() {
        assertThat(LegacySettingsMigration.map(LEGACY).bindings()).extracting(b -> b.get("priority").get(0))
                .containsExactly("10", "20", "30");
    }

    @Test
    void anythingButFalseKeepsTheAudienceRequiredAsBefore() {
        assertThat(LegacySettingsMigration.map(Map.of("requireAudience", "TRUE")).settings().get("requireAudience"))
                .containsExactly("true");
        assertThat(LegacySettingsMigration.map(Map.of("requireAudience", "false")).settings().get("requireAudience"))
                .containsExactly("false");
    }

    @Test
    void invalidLegacySettingsAreNotMappedAndSayWhy() {
        assertThatThrownBy(() -> LegacySettingsMigration.map(Map.of("bindings", "[{\"account\": \"12345\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bindings: not valid JSON");
        assertThatThrownBy(() -> LegacySettingsMigration.map(Map.of("maxAgeSeconds", "0")))
                .hasMessage("Maximum request age (seconds) must be a whole number from 1 to 86400");
    }
}
