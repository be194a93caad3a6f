package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import io.github.kcawspack.scopepolicy.login.SessionGrantType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.grants.RefreshTokenGrantType;
import org.keycloak.representations.RefreshToken;
import org.keycloak.services.CorsErrorResponseException;

/**
 * Keycloak's refresh token grant, with the scopes re-judged for the user as they are now: a user
 * who lost a role since the first token loses the scope on refresh (filter) or the refresh fails
 * (reject). The refresh continues with a narrower scope parameter (RFC 6749 section 6), so the
 * new access and refresh tokens both leave the scope out.
 * The refresh token is read as a {@link PresentedToken}.
 */
public class PolicyRefreshTokenGrantType extends RefreshTokenGrantType {

    @Override
    protected String getRequestedScopes() {
        String requested = super.getRequestedScopes();
        Optional<PresentedToken> token = PresentedToken.read(session, realm, formParams.getFirst(OAuth2Constants.REFRESH_TOKEN),
                RefreshToken.class);
        if (token.isEmpty()) {
            return requested;
        }
        String scopes = requested != null ? requested : token.get().claims().getScope();
        Optional<String> narrowed = TokenEndpointScopes.narrow(realm, client, scopes,
                () -> RequesterFacts.of(token.get().user(), token.get()::sessionNote, grantTypeOf(token.get())), event, cors);
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

    /** The grant the session was started with; a session from before the policy has none. */
    private String grantTypeOf(PresentedToken token) {
        UserSessionModel userSession = token.userSession();
        if (userSession != null) {
            AuthenticatedClientSessionModel clientSession = userSession.getAuthenticatedClientSessionByClient(client.getId());
            String grantType = clientSession == null ? null : clientSession.getNote(SessionGrantType.NOTE);
            if (grantType != null) {
                return grantType;
            }
        }
        return token.user().getServiceAccountClientLink() != null ? OAuth2Constants.CLIENT_CREDENTIALS : OAuth2Constants.REFRESH_TOKEN;
    }
}
