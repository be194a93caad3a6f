package io.github.kcawspack.scopepolicy.login;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.UserModel;

/**
 * The client session note that remembers the grant a session's tokens were first issued through,
 * so that a refresh is judged as that grant (a rule "only through aws_identity" keeps holding for
 * refreshes of an aws_identity session, and never opens to a password session).
 */
public final class SessionGrantType {

    public static final String NOTE = "scope_policy.grant_type";

    private SessionGrantType() {
    }

    /**
     * @param clientSession the client session being refreshed (may be null)
     * @return the grant that started it; for a session from before the policy, client credentials
     *         for a service account and refresh_token otherwise (which no grantTypes rule names)
     */
    public static String of(AuthenticatedClientSessionModel clientSession, UserModel user) {
        String grantType = clientSession == null ? null : clientSession.getNote(NOTE);
        if (grantType != null) {
            return grantType;
        }
        return user.getServiceAccountClientLink() != null ? OAuth2Constants.CLIENT_CREDENTIALS : OAuth2Constants.REFRESH_TOKEN;
    }
}
