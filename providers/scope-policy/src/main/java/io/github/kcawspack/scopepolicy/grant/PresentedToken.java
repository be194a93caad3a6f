package io.github.kcawspack.scopepolicy.grant;

import java.util.Optional;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.TokenUtil;

/**
 * A token a client presents (a refresh token, a token-exchange subject token), read only to learn
 * whose it is and which scopes it holds. Keycloak verifies it right after: a forged token can only
 * make the policy narrow a request that Keycloak then refuses anyway, never widen one.
 */
record PresentedToken(AccessToken claims, UserModel user, UserSessionModel userSession) {

    static Optional<PresentedToken> read(KeycloakSession session, RealmModel realm, String encoded, Class<? extends AccessToken> type) {
        if (encoded == null) {
            return Optional.empty();
        }
        AccessToken claims;
        try {
            claims = new JWSInput(encoded).readJsonContent(type);
        } catch (Exception notAToken) {
            // Keycloak answers such a request itself (invalid_grant / invalid_request).
            return Optional.empty();
        }
        UserModel user = claims.getSubject() == null ? null : session.users().getUserById(realm, claims.getSubject());
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of(new PresentedToken(claims, user, userSession(session, realm, claims)));
    }

    /** The online or offline user session a token (access or refresh) belongs to, or null. */
    static UserSessionModel userSession(KeycloakSession session, RealmModel realm, AccessToken claims) {
        String id = claims.getSessionId();
        if (id == null) {
            return null;
        }
        return TokenUtil.TOKEN_TYPE_OFFLINE.equals(claims.getType())
                ? session.sessions().getOfflineUserSession(realm, id)
                : session.sessions().getUserSession(realm, id);
    }

    /** A user session note of the session the token belongs to (the AWS principal, for one). */
    String sessionNote(String name) {
        return userSession == null ? null : userSession.getNote(name);
    }
}
