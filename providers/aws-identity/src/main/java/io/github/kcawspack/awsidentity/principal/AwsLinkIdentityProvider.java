package io.github.kcawspack.awsidentity.principal;

import jakarta.ws.rs.core.Response;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.broker.provider.AuthenticationRequest;
import org.keycloak.broker.provider.IdentityBrokerException;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

/**
 * The identity provider behind the {@link AwsLinks#ALIAS} links: a holder for links that never
 * logs anyone in. Keycloak writes a federated identity link only when an administrator sets it
 * (admin console, admin REST API, realm import) or when a login through that link's identity
 * provider completes (broker login, account linking, first-broker-login, external token exchange);
 * this provider refuses to start such a login and has no callback endpoint, so no user, identity
 * provider mapper or token exchange can ever create or change a link to an AWS principal. Only
 * the aws_identity grant and administrators do.
 */
public class AwsLinkIdentityProvider extends AbstractIdentityProvider<IdentityProviderModel> {

    public AwsLinkIdentityProvider(KeycloakSession session, IdentityProviderModel model) {
        super(session, model);
    }

    /** @throws IdentityBrokerException always: AWS principals log in with grant_type=aws_identity only */
    @Override
    public Response performLogin(AuthenticationRequest request) {
        throw new IdentityBrokerException("AWS principals log in with grant_type=aws_identity, never through the browser");
    }

    /** No broker endpoint: there is no login to come back from, so nothing can complete one. */
    @Override
    public Object callback(RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
        return null;
    }

    /** No token is ever stored for these links, so there is none to hand out. */
    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity) {
        return noStoredToken();
    }

    /**
     * As {@link #retrieveToken(KeycloakSession, FederatedIdentityModel)}; Keycloak 26.7 declares and
     * calls this one, 26.5 and 26.6 do not have it (hence no {@code @Override}: the source compiles
     * against all three).
     */
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity, UserSessionModel userSession,
            UserModel user) {
        return noStoredToken();
    }

    private static Response noStoredToken() {
        return Response.status(Response.Status.BAD_REQUEST).build();
    }
}
