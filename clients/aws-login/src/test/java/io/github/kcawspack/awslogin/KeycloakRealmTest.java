package io.github.kcawspack.awslogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeycloakRealmTest {

    @Test
    void issuerAndTokenEndpoint() {
        KeycloakRealm realm = new KeycloakRealm("http://localhost:8080/", "demo");

        assertThat(realm.issuer()).isEqualTo("http://localhost:8080/realms/demo");
        assertThat(realm.tokenEndpoint())
                .isEqualTo(URI.create("http://localhost:8080/realms/demo/protocol/openid-connect/token"));
    }

    @Test
    void keepsAContextPath() {
        assertThat(new KeycloakRealm("https://sso.example.com/auth", "demo").issuer())
                .isEqualTo("https://sso.example.com/auth/realms/demo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:8080", "ftp://localhost", "http://", "http://h/?x=1", "http://u:p@h/", "http://h/#f"})
    void refusesUrlsThatAreNotAServerBase(String url) {
        assertThatThrownBy(() -> new KeycloakRealm(url, "demo")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "../master", "a b", "a?b", "a#b", "a%2fb"})
    void refusesRealmNamesThatChangeThePath(String realm) {
        assertThatThrownBy(() -> new KeycloakRealm("http://localhost:8080", realm))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
