package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import io.github.kcawspack.scopepolicy.login.SessionGrantType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.VerificationException;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.grants.RefreshTokenGrantType;
import org.keycloak.representations.RefreshToken;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.util.TokenUtil;

/**
 * Keycloak's refresh token grant, with the scopes re-judged for the user as they are now: a user
 * who lost a role since the first token loses the scope on refresh (filter) or the refresh fails
 * (reject). The refresh continues with a narrower scope parameter (RFC 6749 section 6), so the
 * new access and refresh tokens both leave the scope out.
 *
 * <p>The token is read here only to learn whose it is; Keycloak verifies it right after. A
 * forged token can therefore only narrow, never widen, and is then refused by Keycloak.
 */
public class PolicyRefreshTokenGrantType extends RefreshTokenGrantType {

    @Override
    protected String getRequestedScopes() {
        String requested = super.getRequestedScopes();
        Optional<RefreshToken> token = unverified(formParams.getFirst(OAuth2Constants.REFRESH_TOKEN));
        Optional<UserModel> user = token.map(t -> t.getSubject() == null ? null : session.users().getUserById(realm, t.getSubject()));
        if (token.isEmpty() || user.isEmpty()) {
            return requested;
        }
        UserSessionModel userSession = userSessionOf(token.get());
        String scopes = requested != null ? requested : token.get().getScope();
        Optional<String> narrowed = TokenEndpointScopes.narrow(realm, client, scopes,
                () -> RequesterFacts.of(user.get(), note -> userSession == null ? null : userSession.getNote(note),
                        grantTypeOf(userSession, user.get())), event, cors);
        if (narrowed.orElse("").equals(scopes == null ? "" : scopes)) {
            return requested;
        }
        if (narrowed.isEmpty() || narrowed.get().isBlank()) {
            // An empty parameter would mean "the same scopes as before" to Keycloak.
            throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_SCOPE,
                    "no scope of this refresh token is permitted any more", Response.Status.BAD_REQUEST);
        }
        return narrowed.get();
    }

    private static Optional<RefreshToken> unverified(String encoded) {
        if (encoded == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new JWSInput(encoded).readJsonContent(RefreshToken.class));
        } catch (JWSInputException | RuntimeException e) {
            // Not a token Keycloak will accept either; it answers invalid_grant itself.
            return Optional.empty();
        }
    }

    private UserSessionModel userSessionOf(RefreshToken token) {
        String id = token.getSessionId();
        if (id == null) {
            return null;
        }
        return TokenUtil.TOKEN_TYPE_OFFLINE.equals(token.getType())
                ? session.sessions().getOfflineUserSession(realm, id)
                : session.sessions().getUserSession(realm, id);
    }

    /** The grant the session was started with; a session from before the policy has none. */
    private String grantTypeOf(UserSessionModel userSession, UserModel user) {
        if (userSession != null) {
            AuthenticatedClientSessionModel clientSession = userSession.getAuthenticatedClientSessionByClient(client.getId());
            String grantType = clientSession == null ? null : clientSession.getNote(SessionGrantType.NOTE);
            if (grantType != null) {
                return grantType;
            }
        }
        return user.getServiceAccountClientLink() != null ? OAuth2Constants.CLIENT_CREDENTIALS : OAuth2Constants.REFRESH_TOKEN;
    }
}
