package io.github.kcawspack.scopepolicy.login;

import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.utils.OIDCRedirectUriBuilder;
import org.keycloak.protocol.oidc.utils.OIDCResponseMode;
import org.keycloak.protocol.oidc.utils.OIDCResponseType;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Sends the browser back to the client with error=invalid_scope (RFC 6749 section 4.1.2.1), in the
 * response mode the client asked for. Keycloak's LoginProtocol.sendError has no invalid_scope, so
 * the redirect is built with Keycloak's own builder for authorization responses.
 */
final class ScopeRejectionRedirect {

    private ScopeRejectionRedirect() {
    }

    static Response to(KeycloakSession session, RealmModel realm, AuthenticationSessionModel authSession, String description) {
        String responseType = authSession.getClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM);
        OIDCResponseMode responseMode = OIDCResponseMode.parse(
                authSession.getClientNote(OIDCLoginProtocol.RESPONSE_MODE_PARAM), OIDCResponseType.parse(responseType));
        OIDCRedirectUriBuilder redirect = OIDCRedirectUriBuilder.fromUri(authSession.getRedirectUri(), responseMode, session, null)
                .addParam(OAuth2Constants.ERROR, OAuthErrorException.INVALID_SCOPE)
                .addParam(OAuth2Constants.ERROR_DESCRIPTION, description);
        String state = authSession.getClientNote(OIDCLoginProtocol.STATE_PARAM);
        if (state != null) {
            redirect.addParam(OAuth2Constants.STATE, state);
        }
        // RFC 9207: Keycloak names the issuer in authorization responses unless the client opts out.
        if (!OIDCAdvancedConfigWrapper.fromClientModel(authSession.getClient()).isExcludeIssuerFromAuthResponse()) {
            redirect.addParam(OAuth2Constants.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        }
        // This login attempt is over; a new authorization request starts a new one.
        new AuthenticationSessionManager(session).removeTabIdInAuthenticationSession(realm, authSession);
        return redirect.build();
    }
}
