package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.OAuthClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kcawspack.it.harness.CibaChannel;
import io.github.kcawspack.it.harness.KeycloakServer;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;

/**
 * OpenID Connect CIBA in poll mode against a {@link PolicyRealm}'s client: the client sends a
 * backchannel authentication request naming the user (login_hint), Keycloak asks the user's
 * authentication device (the harness's {@link CibaChannel}), the device approves, the client
 * polls the token endpoint with its auth_req_id.
 */
final class CibaFlow {

    /** The client attribute that switches the grant on for a client. */
    static final String ENABLED_ATTRIBUTE = "oidc.ciba.grant.enabled";

    private CibaFlow() {
    }

    /** The backchannel authentication request (the scope is fixed here, before any user decides). */
    static Answer request(KeycloakServer server, PolicyRealm realm, String loginHint, String scope) {
        return realm.oauth().post(server.realmUrl(realm.name()) + "/protocol/openid-connect/ext/ciba/auth",
                form("scope", scope, "login_hint", loginHint, "binding_message", "it-" + loginHint), PolicyRealm.CLIENT_BASIC);
    }

    /**
     * The whole flow for a user who approves on the device: the answer of the token poll. The
     * backchannel request itself is accepted (README: the refusal comes at the token endpoint).
     */
    static Answer approvedToken(KeycloakServer server, PolicyRealm realm, CibaChannel channel, String username, String scope) {
        channel.clear();
        Answer request = request(server, realm, username, scope);
        assertThat(request.status()).as("the backchannel request is accepted: " + request).isEqualTo(200);
        CibaChannel.ChannelRequest onDevice = channel.nextRequest();
        assertThat(onDevice.loginHint()).isEqualTo(username);
        assertThat(channel.approve(server, realm.name(), onDevice)).as("the device's approval was taken").isEqualTo(200);
        return realm.oauth().token(form("grant_type", PolicyRealm.CIBA_GRANT, "auth_req_id", request.text("auth_req_id")),
                PolicyRealm.CLIENT_BASIC);
    }
}
