package io.github.kcawspack.awsidentity.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebIdentityIssuerTest {

    private static Map<String, List<String>> config(String issuer, String account, String lifetime) {
        Map<String, List<String>> config = new HashMap<>();
        config.put(WebIdentityIssuer.ISSUER, List.of(issuer));
        config.put(WebIdentityIssuer.ACCOUNT, List.of(account));
        if (lifetime != null) {
            config.put(WebIdentityIssuer.MAX_LIFETIME_SECONDS, List.of(lifetime));
        }
        return config;
    }

    @Test
    void anAwsIssuerWithDefaults() {
        WebIdentityIssuer issuer = WebIdentityIssuer.from(config("https://abc.tokens.sts.global.api.aws", "111122223333", null));

        assertThat(issuer.issuer()).isEqualTo("https://abc.tokens.sts.global.api.aws");
        assertThat(issuer.maxLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(issuer.audiences()).isEmpty();
    }

    @Test
    void plainHttpOnlyOnLoopback() {
        assertThat(WebIdentityIssuer.from(config("http://127.0.0.1:8080/x", "111122223333", null)).issuer())
                .isEqualTo("http://127.0.0.1:8080/x");
        assertThatThrownBy(() -> WebIdentityIssuer.from(config("http://abc.tokens.sts.global.api.aws", "111122223333", null)))
                .hasMessageStartingWith("issuer:");
        assertThatThrownBy(() -> WebIdentityIssuer.from(config("https://abc.example/?q=1", "111122223333", null)))
                .hasMessageStartingWith("issuer:");
    }

    @Test
    void theAccountIsTwelveDigits() {
        assertThatThrownBy(() -> WebIdentityIssuer.from(config("https://abc.example", "1111-2222-3333", null)))
                .hasMessageStartingWith("account:");
    }

    @Test
    void theLifetimeIsWhatAwsIssues() {
        assertThatThrownBy(() -> WebIdentityIssuer.from(config("https://abc.example", "111122223333", "59")))
                .hasMessageStartingWith("maxLifetimeSeconds:");
        assertThatThrownBy(() -> WebIdentityIssuer.from(config("https://abc.example", "111122223333", "3601")))
                .hasMessageStartingWith("maxLifetimeSeconds:");
        assertThat(WebIdentityIssuer.from(config("https://abc.example", "111122223333", "300")).maxLifetime())
                .isEqualTo(Duration.ofSeconds(300));
    }
}
