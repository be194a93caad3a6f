package io.github.kcawspack.it;

import static io.github.kcawspack.it.DemoRealm.*;
import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The error answers README's "Migrating from a classic OAuth2 server" lists for the demo realm's
 * token endpoint (RFC 6749 section 5.2); the replaced servers' documented requests themselves are
 * MigratingIT's.
 */
@ExtendWith(KeycloakExtension.class)
class ClassicOAuth2FlowsIT {

    @Injected
    KeycloakServer server;
    @Injected
    OAuthClient oauth;

    @Test
    void wrongClientSecretIsInvalidClientWithABasicChallenge() {
        Answer basic = oauth.token(form("grant_type", "client_credentials"), TESTCLIENT + ":wrong-secret");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.text("error")).isEqualTo("invalid_client");
        assertThat(basic.header("WWW-Authenticate")).isEqualTo("Basic realm=\"demo\"");

        Answer body = oauth.token(form(
                "grant_type", "client_credentials", "client_id", TESTCLIENT, "client_secret", "wrong-secret"));
        assertThat(body.status()).isEqualTo(401);
        assertThat(body.text("error")).isEqualTo("invalid_client");
        assertThat(body.raw().body()).doesNotContain("wrong-secret");
    }

    @Test
    void confidentialClientWithoutSecretIsInvalidClient() {
        Answer answer = oauth.token(form("grant_type", "client_credentials", "client_id", TESTCLIENT));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.text("error")).isEqualTo("invalid_client");
    }

    @Test
    void secretsComeFromTheEnvironmentNotTheExportFile() {
        Answer answer = oauth.token(form(
                "grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD,
                "client_id", API_CLIENT, "client_secret", API_CLIENT_DEV_DEFAULT_SECRET));
        assertThat(answer.status())
                .as("API_CLIENT_SECRET is set for this server, so the file's dev default must not work")
                .isEqualTo(401);
        assertThat(answer.text("error")).isEqualTo("invalid_client");
    }

    @Test
    void unknownGrantTypeIsUnsupportedGrantType() {
        Answer answer = oauth.token(form("grant_type", "urn:example:no-such-grant"), TESTCLIENT + ":" + TESTCLIENT_SECRET);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("unsupported_grant_type");
    }

    @Test
    void unknownScopeIsInvalidScope() {
        Answer answer = oauth.token(form(
                "grant_type", "password", "username", ALICE, "password", ALICE_PASSWORD, "scope", "read admin"),
                API_CLIENT + ":" + API_CLIENT_SECRET);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_scope");
        assertThat(answer.text("access_token")).isNull();
    }

    @Test
    void wrongPasswordIsInvalidGrant() {
        Answer answer = oauth.token(form(
                "grant_type", "password", "username", ALICE, "password", "not-her-password"),
                API_CLIENT + ":" + API_CLIENT_SECRET);
        // RFC 6749 section 5.2: 400. Keycloak itself answered 401 before 26.6 (its direct-grant
        // password check; not the pack's to change), documented in the README's compatibility notes.
        assertThat(answer.status()).isEqualTo(server.isAtLeast(26, 6) ? 400 : 401);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(answer.raw().body()).doesNotContain("not-her-password");
    }
}
