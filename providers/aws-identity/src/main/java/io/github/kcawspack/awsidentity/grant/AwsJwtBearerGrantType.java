package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.settings.WebIdentityIssuer;
import io.github.kcawspack.awsidentity.verify.WebIdentityTokenVerifier;
import io.github.kcawspack.linkage.KeycloakOverride;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.keycloak.OAuth2Constants;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.protocol.oidc.grants.JWTAuthorizationGrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.JsonWebToken;

/**
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523 section 2.1) with two
 * paths. An assertion whose {@code iss} is an AWS issuer configured in the realm (page
 * {@value WebIdentityIssuersPage#ID}) is an AWS-issued JWT: verified offline
 * ({@link WebIdentityTokenVerifier}), then handed to the {@code aws_identity} grant's checks after
 * verification ({@link AwsIdentityGrantType#process(Context, String, AwsIdentityGrantType.PrincipalProof)}):
 * the client's AWS identities switch, user links and provisioning, Keycloak's required-action
 * triggers (where the restricted-scope policy narrows) and the same token building. Every other
 * assertion, and one that is not a JWT at all, goes to Keycloak's own JWT authorization grant
 * unchanged (this class extends it), which answers as it always does.
 *
 * <p>The {@code iss} read for routing is unverified; it only chooses which verification runs, and
 * the AWS path verifies it again against the configured issuer and its keys.
 */
public class AwsJwtBearerGrantType extends JWTAuthorizationGrantType {

    private final WebIdentityTokenVerifier verifier;

    AwsJwtBearerGrantType(WebIdentityTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * @param context the token request
     * @return the token response of whichever path the assertion's issuer selects
     */
    @Override
    @KeycloakOverride // the entry point: routing by issuer
    public Response process(Context context) {
        String assertion = context.getFormParams().getFirst(OAuth2Constants.ASSERTION);
        Optional<WebIdentityIssuer> issuer = WebIdentityIssuer.find(context.getRealm(), unverifiedIssuer(assertion));
        if (issuer.isEmpty()) {
            return super.process(context);
        }
        AwsIdentityGrantType aws = (AwsIdentityGrantType) context.getSession()
                .getProvider(OAuth2GrantType.class, AwsIdentityGrantTypeFactory.GRANT_TYPE);
        return aws.process(context, OAuth2Constants.JWT_AUTHORIZATION_GRANT,
                (session, realm, form) -> verifier.verify(session, realm, assertion, issuer.get()));
    }

    private static String unverifiedIssuer(String assertion) {
        if (assertion == null || assertion.length() > WebIdentityTokenVerifier.MAX_TOKEN_CHARS * 4) {
            return null;
        }
        try {
            JsonWebToken jwt = new JWSInput(assertion).readJsonContent(JsonWebToken.class);
            return jwt == null ? null : jwt.getIssuer();
        } catch (JWSInputException | RuntimeException e) {
            return null;
        }
    }
}
