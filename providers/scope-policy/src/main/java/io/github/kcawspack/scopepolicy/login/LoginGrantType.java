package io.github.kcawspack.scopepolicy.login;

import io.github.kcawspack.scopepolicy.enforcement.JudgedGrantTypes;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The grant a login issues its tokens through, as rules name it. Front-channel logins carry a
 * response_type; back-channel ones (password, aws_identity, CIBA) run at the token endpoint and
 * carry grant_type; a device verification carries neither.
 */
final class LoginGrantType {

    static final String AUTHORIZATION_CODE = JudgedGrantTypes.AUTHORIZATION_CODE;
    static final String IMPLICIT = JudgedGrantTypes.IMPLICIT;
    /**
     * What rules naming grant types see for a SAML login (the login protocol's id; SAML has no
     * OAuth2 grant): a rule "grantTypes: [saml]" admits SAML logins only.
     */
    static final String SAML = "saml";

    private LoginGrantType() {
    }

    /**
     * The grant of the login in {@code authSession}: the front channel's by response_type, a device
     * verification's (its browser login has neither response_type nor grant_type), otherwise the
     * token request's grant_type (password, aws_identity); null when nothing names it.
     */
    static String of(AuthenticationSessionModel authSession, String tokenRequestGrantType) {
        if (isFrontChannel(authSession)) {
            return ofFrontChannel(authSession);
        }
        if (isDeviceVerification(authSession)) {
            return JudgedGrantTypes.DEVICE_CODE;
        }
        return tokenRequestGrantType;
    }

    static boolean isDeviceVerification(AuthenticationSessionModel authSession) {
        return authSession.getClientNote(DeviceGrantType.OAUTH2_DEVICE_VERIFIED_USER_CODE) != null;
    }

    static boolean isFrontChannel(AuthenticationSessionModel authSession) {
        return authSession.getClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM) != null;
    }

    static String ofFrontChannel(AuthenticationSessionModel authSession) {
        return JudgedGrantTypes.ofResponseType(authSession.getClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM));
    }
}
