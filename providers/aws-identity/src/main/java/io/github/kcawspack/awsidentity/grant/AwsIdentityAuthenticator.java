package io.github.kcawspack.awsidentity.grant;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

/**
 * The "aws-identity" step of flows from before the aws_identity grant ran without a flow. It
 * verifies nothing any more and refuses every request that reaches it: the only way such a flow
 * still runs is a password grant (or another flow-driven login) on a client configured the old
 * way, and that must never issue tokens for an AWS identity, nor fall through to a password.
 * The aws_identity grant itself never runs a flow.
 */
public class AwsIdentityAuthenticator implements Authenticator {

    static final String REASON = "aws_identity_flow_retired";
    static final String DESCRIPTION = "AWS identities log in with grant_type=aws_identity, never through an authentication flow";

    /** Refuses with {@code unauthorized_client} and a LOGIN_ERROR event naming why. */
    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.getEvent().detail(Details.REASON, REASON);
        context.getEvent().error(Errors.NOT_ALLOWED);
        Response response = Response.status(Response.Status.BAD_REQUEST)
                .entity(new OAuth2ErrorRepresentation(OAuthErrorException.UNAUTHORIZED_CLIENT, DESCRIPTION))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
        context.failure(AuthenticationFlowError.CLIENT_NOT_FOUND, response);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        authenticate(context);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
