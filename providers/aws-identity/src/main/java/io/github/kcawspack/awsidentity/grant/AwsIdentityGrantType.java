package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.authenticator.AwsIdentityAuthenticatorFactory;
import io.github.kcawspack.awsidentity.request.AwsIdentityRequest;
import io.github.kcawspack.linkage.KeycloakOverride;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.grants.ResourceOwnerPasswordCredentialsGrantType;
import org.keycloak.services.CorsErrorResponseException;

/**
 * {@code grant_type=aws_identity}. Keycloak's direct-grant machinery does the OAuth work
 * (client checks, authentication session, the client's direct-grant flow, user session,
 * refresh-token policy, client policies, token response); the AWS verification happens in the
 * {@link io.github.kcawspack.awsidentity.authenticator.AwsIdentityAuthenticator} of that flow.
 *
 * <p>What this class adds is the gate. A client is switched on for this grant by binding, as its
 * own direct-grant flow override, a flow that contains the AWS identity authenticator (an
 * explicit per-client choice, visible in the admin console under the client's Advanced tab; the
 * realm's default direct-grant flow never switches a client on). And no token is issued unless
 * that authenticator verified this very request, so the grant can never fall back to a password
 * flow, not even when a client policy selects another flow.
 */
public class AwsIdentityGrantType extends ResourceOwnerPasswordCredentialsGrantType {

    @Override
    @KeycloakOverride // the gate below must run on every Keycloak the JAR starts on
    public Response process(Context context) {
        setContext(context);
        event.detail(Details.GRANT_TYPE, AwsIdentityGrantTypeFactory.GRANT_TYPE);
        if (!bindsAwsIdentityFlow(client)) {
            refuse(Errors.NOT_ALLOWED, "Client is not enabled for the aws_identity grant");
        }
        return super.process(context);
    }

    @Override
    public Set<String> getTokenParameterNames() {
        // Declared so TokenEndpoint keeps them up to its larger limit for token parameters
        // (headers_json with a session token exceeds the default 4000 characters). Keycloak 26.5
        // has no such method and no such limit: not a @KeycloakOverride, it may go uncalled.
        return Set.copyOf(AwsIdentityRequest.PARAMETER_NAMES);
    }

    /** Runs after the flow, before any token is built: the last point to refuse. */
    @Override
    @KeycloakOverride // protected before Keycloak 26.7, public since; must be called on each
    public void updateUserSessionFromClientAuth(UserSessionModel userSession) {
        if (!AwsIdentityAuthenticatorFactory.verifiedThisRequest(session)) {
            session.sessions().removeUserSession(realm, userSession);
            event.detail(Details.REASON, "flow completed without AWS identity verification");
            event.error(Errors.INVALID_CONFIG);
            throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_GRANT,
                    "The AWS identity was not verified", Response.Status.BAD_REQUEST);
        }
        super.updateUserSessionFromClientAuth(userSession);
    }

    private static boolean bindsAwsIdentityFlow(ClientModel client) {
        // What AuthenticationFlowResolver.resolveBindingOverrideFlowForClient does since Keycloak
        // 26.6; Keycloak 26.5 does not have that method, so it is spelled out here.
        String flowId = client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.DIRECT_GRANT_BINDING);
        AuthenticationFlowModel flow = flowId == null ? null : client.getRealm().getAuthenticationFlowById(flowId);
        return flow != null && client.getRealm().getAuthenticationExecutionsStream(flow.getId())
                .anyMatch(execution -> AwsIdentityAuthenticatorFactory.PROVIDER_ID.equals(execution.getAuthenticator())
                        && (execution.isRequired() || execution.isAlternative()));
    }

    private void refuse(String eventError, String description) {
        event.detail(Details.REASON, description);
        event.error(eventError);
        throw new CorsErrorResponseException(cors, OAuthErrorException.UNAUTHORIZED_CLIENT, description,
                Response.Status.BAD_REQUEST);
    }
}
