package io.github.kcawspack.awsidentity.settings;

import static io.github.kcawspack.awsidentity.settings.Items.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The realm settings item: defaults for what is not set, a named refusal for what is wrong. */
class RealmSettingsTest {

    @Test
    void anEmptyItemIsTheDefaults() {
        assertThat(RealmSettings.from(Map.of())).isEqualTo(RealmSettings.defaults());
        assertThat(RealmSettings.defaults().maxAge()).isEqualTo(Duration.ofMinutes(15));
        assertThat(RealmSettings.defaults().clockSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(RealmSettings.defaults().requireAudience()).isTrue();
    }

    @Test
    void theConsolePropertiesShowTheDefaultsOfTheTypedClass() {
        assertThat(RealmSettingsProperties.properties()).extracting(p -> p.getName() + "=" + p.getDefaultValue())
                .containsExactly("requireAudience=true", "extraAudiences=null", "maxAgeSeconds=900", "clockSkewSeconds=300");
    }

    @Test
    void everyFieldIsRead() {
        RealmSettings read = RealmSettings.from(config("requireAudience", "false", "maxAgeSeconds", "60",
                "clockSkewSeconds", "0", "extraAudiences", "https://sso.example.com/realms/demo##urn:demo"));

        assertThat(read).isEqualTo(new RealmSettings(false, java.util.List.of("https://sso.example.com/realms/demo", "urn:demo"),
                Duration.ofSeconds(60), Duration.ZERO));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "maxAgeSeconds    | -5    | Maximum request age (seconds) must be a whole number from 1 to 86400",
        "maxAgeSeconds    | 0     | Maximum request age (seconds) must be a whole number from 1 to 86400",
        "maxAgeSeconds    | 86401 | Maximum request age (seconds) must be a whole number from 1 to 86400",
        "clockSkewSeconds | abc   | Allowed clock skew (seconds) must be a whole number from 0 to 86400",
        "requireAudience  | yes   | Require audience must be on or off (true or false)",
        "extraAudiences   | a b   | Extra audiences must be URLs such as https://sso.example.com/realms/demo, without spaces",
    })
    void anInvalidFieldIsNamedWithWhatItExpects(String field, String value, String message) {
        assertThatThrownBy(() -> RealmSettings.from(config(field, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
}
