package io.github.kcawspack.clientauth;

import io.github.kcawspack.linkage.KeycloakLinkage;
import io.github.kcawspack.linkage.KeycloakOverride;
import org.keycloak.Config;
import org.keycloak.authentication.ClientAuthenticationFlowContext;
import org.keycloak.authentication.authenticators.client.JWTClientSecretAuthenticator;

/**
 * Keycloak's own {@code client-secret-jwt} authenticator ("Signed JWT with Client Secret", OIDC {@code client_secret_jwt}),
 * answering every failed assertion of a client of the realm with {@link InvalidClientAnswer}.
 * Keycloak answers them with 400 and a description that names the check that failed (and with
 * {@code unauthorized_client} when the signature does not verify); RFC 6749 section 5.2 and
 * RFC 7523 section 3.2 ask for {@code invalid_client}, and one fixed text tells no attacker which
 * check an assertion passed. An assertion naming an unknown client is already answered by Keycloak
 * with the same 401 (no authenticator sets a client for it).
 *
 * <p>Same provider id as the built-in one, so clients and the admin console are unchanged.
 */
public class Rfc6749JwtClientSecretAuthenticator extends JWTClientSecretAuthenticator {

    /**
     * Refuses to start on an untested Keycloak minor; see {@link KeycloakLinkage}.
     *
     * @param config this provider's server configuration (none is read)
     * @throws IllegalStateException on an untested Keycloak
     */
    @Override
    public void init(Config.Scope config) {
        KeycloakLinkage.require(Rfc6749ClientSecretAuthenticator.JAR);
        super.init(config);
    }

    /**
     * Runs Keycloak's check, then replaces a refusal of a known client with {@link InvalidClientAnswer}.
     *
     * @param context the client authentication under way
     */
    @Override
    @KeycloakOverride
    public void authenticateClient(ClientAuthenticationFlowContext context) {
        super.authenticateClient(context);
        JwtRefusals.answerUniformly(context);
    }

    /** @return Keycloak's help text, plus a note that this JAR changed the failure answers */
    @Override
    public String getHelpText() {
        return super.getHelpText() + ". " + JwtRefusals.HELP;
    }
}
