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

    /** User session note the aws_identity grant writes (a published contract of that JAR). */
    static final String AWS_ARN_NOTE = "aws_identity.arn";
    static final String AWS_IDENTITY = "aws_identity";

    /**
     * @param clientSession the client session being refreshed (may be null)
     * @return the grant that started it: the note when this pack's required action wrote one;
     *         aws_identity for a session carrying the principal that grant proved (it runs no
     *         required action, and only it writes that note); otherwise client credentials for a
     *         service account and refresh_token (which no grantTypes rule names)
     */
    public static String of(AuthenticatedClientSessionModel clientSession, UserModel user) {
        String grantType = clientSession == null ? null : clientSession.getNote(NOTE);
        if (grantType != null) {
            return grantType;
        }
        if (clientSession != null && clientSession.getUserSession() != null
                && clientSession.getUserSession().getNote(AWS_ARN_NOTE) != null) {
            return AWS_IDENTITY;
        }
        return user.getServiceAccountClientLink() != null ? OAuth2Constants.CLIENT_CREDENTIALS : OAuth2Constants.REFRESH_TOKEN;
    }
}
