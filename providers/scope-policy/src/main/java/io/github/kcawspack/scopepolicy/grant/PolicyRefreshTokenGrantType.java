package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import io.github.kcawspack.scopepolicy.login.SessionGrantType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.keycloak.OAuthErrorException;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.RefreshTokenGrantType;
import org.keycloak.representations.RefreshToken;
import org.keycloak.services.CorsErrorResponseException;

/**
 * Keycloak's refresh token grant, with the presented refresh token's scope re-judged for the user
 * as they are now: a user who lost a role since the first token loses the scope on refresh
 * (filter) or the refresh fails (reject).
 *
 * <p>Why on the verified token and not on the scope parameter: Keycloak derives the whole answer
 * from the presented token's scope (the new access token, the ID token, the response's
 * {@code scope} and the new refresh token's scope, which it copies; an offline refresh even
 * rebuilds its context from it). Narrowing that scope right after Keycloak verified the signature
 * makes all four agree, online and offline, and the new refresh token no longer carries the
 * withheld scope (RFC 6749 section 6 lets a refresh narrow the grant, never widen it).
 *
 * <p>Also answers {@code unauthorized_client} with HTTP 400, as RFC 6749 section 5.2 says: Keycloak
 * answers a refresh of a certificate-bound token (RFC 8705) without the client certificate it is
 * bound to with 401.
 */
public class PolicyRefreshTokenGrantType extends RefreshTokenGrantType {

    /**
     * Keycloak's grant, with its 401 {@code unauthorized_client} refusal re-issued as 400.
     *
     * @param context the token request
     * @return Keycloak's token response
     * @throws CorsErrorResponseException Keycloak's refusals, with {@code unauthorized_client} as 400
     */
    @Override
    public Response process(Context context) {
        try {
            return super.process(context);
        } catch (CorsErrorResponseException refused) {
            throw PolicyClientCredentialsGrantType.withRfc6749Status(refused, cors);
        }
    }

    @Override
    protected void setContext(Context context) {
        super.setContext(context);
        this.tokenManager = new JudgedRefreshTokens();
    }

    /** Keycloak's token manager, judging every refresh token it verifies for this grant. */
    private final class JudgedRefreshTokens extends TokenManager {

        @Override
        public RefreshToken verifyRefreshToken(KeycloakSession session, RealmModel realm, ClientModel client, HttpRequest request,
                                               String encodedRefreshToken, boolean checkExpiration) throws OAuthErrorException {
            RefreshToken token = super.verifyRefreshToken(session, realm, client, request, encodedRefreshToken, checkExpiration);
            UserModel user = token.getSubject() == null ? null : session.users().getUserById(realm, token.getSubject());
            if (user == null || token.getScope() == null) {
                // Keycloak refuses it itself (user gone) or there is nothing to narrow.
                return token;
            }
            UserSessionModel userSession = PresentedToken.userSession(session, realm, token);
            AuthenticatedClientSessionModel clientSession = userSession == null ? null
                    : userSession.getAuthenticatedClientSessionByClient(client.getId());
            Optional<String> narrowed = TokenEndpointScopes.narrow(session, realm, client, token.getScope(),
                    () -> RequesterFacts.of(user, note -> userSession == null ? null : userSession.getNote(note),
                            SessionGrantType.of(clientSession, user)),
                    event, cors);
            String scope = narrowed.orElse("");
            if (!scope.equals(token.getScope())) {
                if (scope.isBlank()) {
                    throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_SCOPE,
                            "no scope of this refresh token is permitted any more", Response.Status.BAD_REQUEST);
                }
                token.setScope(scope);
            }
            return token;
        }
    }
}
