package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which audiences a realm accepts: configuration only, and none is a refusal that names the settings. */
class ConfiguredAudiencesTest {

    @Test
    void theIssuerOfTheConfiguredHostnameAndTheExtraAudiences() {
        assertThat(ConfiguredAudiences.of(Optional.of("https://id.example.com/realms/demo"), List.of("https://proxy.example/realms/demo")))
                .containsExactly("https://id.example.com/realms/demo", "https://proxy.example/realms/demo");
    }

    @Test
    void extraAudiencesAloneWhereTheHostnameIsNotFixed() {
        assertThat(ConfiguredAudiences.of(Optional.empty(), List.of("https://id.example.com/realms/demo")))
                .containsExactly("https://id.example.com/realms/demo");
    }

    @Test
    void neitherIsUnauthorizedClientNamingTheSettings() {
        assertThatThrownBy(() -> ConfiguredAudiences.of(Optional.empty(), List.of()))
                .isInstanceOfSatisfying(AwsIdentityRejection.class, r -> {
                    assertThat(r.error()).isEqualTo(AwsIdentityRejection.OAuthError.UNAUTHORIZED_CLIENT);
                    assertThat(r.reason()).isEqualTo("audience_not_configured");
                    assertThat(r.description()).contains("--hostname", "Frontend URL", "Extra audiences");
                });
    }
}
