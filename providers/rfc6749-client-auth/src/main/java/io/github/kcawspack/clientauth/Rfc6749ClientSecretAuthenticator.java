package io.github.kcawspack.clientauth;

import io.github.kcawspack.linkage.KeycloakLinkage;
import io.github.kcawspack.linkage.KeycloakOverride;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.Config;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.ClientAuthenticationFlowContext;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.authentication.authenticators.client.ClientAuthUtil;
import org.keycloak.authentication.authenticators.client.ClientIdAndSecretAuthenticator;

/**
 * Keycloak's own {@code client-secret} authenticator, answering a failed client authentication
 * with RFC 6749 section 5.2's {@code invalid_client} instead of {@code unauthorized_client}.
 *
 * <p>It keeps the built-in provider id on purpose: Keycloak lets a custom factory replace an
 * internal one with the same id, so every client keeps its {@code clientAuthenticatorType}, the
 * admin console keeps its secret screen, and installing or removing the JAR needs no realm change.
 */
public class Rfc6749ClientSecretAuthenticator extends ClientIdAndSecretAuthenticator {

    static final String GENERIC_DESCRIPTION = "Invalid client or Invalid client credentials";

    static final String JAR = "aws-pack-rfc6749-client-auth";

    /**
     * Refuses to start on a Keycloak minor this JAR was not tested on (it replaces a built-in
     * provider of an internal SPI), with one log line naming the versions; see {@link KeycloakLinkage}.
     */
    @Override
    public void init(Config.Scope config) {
        KeycloakLinkage.require(JAR);
        super.init(config);
    }

    @Override
    @KeycloakOverride // the whole point of this JAR
    public void authenticateClient(ClientAuthenticationFlowContext context) {
        super.authenticateClient(context);
        if (rejectedClientCredentials(context)) {
            Response invalidClient = invalidClientResponse(context);
            if (context.getStatus() == FlowStatus.FAILED) {
                context.failure(context.getError(), invalidClient);
            } else {
                context.challenge(invalidClient);
            }
        }
    }

    /**
     * True when the client tried to authenticate and failed: a wrong, expired or missing secret
     * for a known confidential client, a secret sent by a method the client does not allow, or a
     * malformed Basic header. A request that names no client at all already gets Keycloak's
     * {@code invalid_client}; unknown and disabled clients are answered by Keycloak itself.
     */
    static boolean rejectedClientCredentials(ClientAuthenticationFlowContext context) {
        FlowStatus status = context.getStatus();
        if (status == FlowStatus.FAILED) {
            return context.getError() == AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS;
        }
        return status == FlowStatus.CHALLENGE
                && (context.getClient() != null || authorizationHeader(context) != null);
    }

    /** RFC 6749 section 5.2: 401, and a WWW-Authenticate challenge when the client used the Authorization header. */
    static Response invalidClientResponse(ClientAuthenticationFlowContext context) {
        Response body = ClientAuthUtil.errorResponse(Response.Status.UNAUTHORIZED.getStatusCode(),
                OAuthErrorException.INVALID_CLIENT, GENERIC_DESCRIPTION);
        if (authorizationHeader(context) == null) {
            return body;
        }
        return Response.fromResponse(body)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + context.getRealm().getName() + "\"")
                .build();
    }

    private static String authorizationHeader(ClientAuthenticationFlowContext context) {
        return context.getHttpRequest().getHttpHeaders().getRequestHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    }

    @Override
    public String getHelpText() {
        return super.getHelpText() + ". Failed client authentication is answered with RFC 6749's invalid_client"
                + " (installed by the aws-pack rfc6749-client-auth provider).";
    }
}
