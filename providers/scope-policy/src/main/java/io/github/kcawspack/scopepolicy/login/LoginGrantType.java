package io.github.kcawspack.scopepolicy.login;

import org.keycloak.OAuth2Constants;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The grant a login issues its tokens through, as rules name it. Front-channel logins carry a
 * response_type; back-channel ones (password, aws_identity, CIBA) run at the token endpoint and
 * carry grant_type.
 */
final class LoginGrantType {

    static final String AUTHORIZATION_CODE = "authorization_code";
    static final String IMPLICIT = "implicit";

    private LoginGrantType() {
    }

    static boolean isFrontChannel(AuthenticationSessionModel authSession) {
        return authSession.getClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM) != null;
    }

    static String ofFrontChannel(AuthenticationSessionModel authSession) {
        String responseType = authSession.getClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM);
        // An access token in the front channel is the implicit grant (hybrid "code token" included);
        // "code" and "code id_token" hand out access tokens only at the token endpoint.
        boolean accessTokenInFrontChannel = java.util.Arrays.asList(responseType.split(" ")).contains(OAuth2Constants.TOKEN);
        return accessTokenInFrontChannel ? IMPLICIT : AUTHORIZATION_CODE;
    }
}
