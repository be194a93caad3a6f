package io.github.kcawspack.clientauth;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.ClientAuthenticationFlowContext;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

/**
 * The one answer to every failed client authentication, whatever failed and whether the client
 * exists: HTTP 401, {@code {"error":"invalid_client","error_description":}} {@link #DESCRIPTION},
 * and a {@code WWW-Authenticate: Basic realm="<realm>"} challenge when the request carried an
 * {@code Authorization} header.
 *
 * <p>Source of the rule: RFC 6749 section 5.2 ({@code invalid_client}; 401 with the challenge
 * "if the client attempted to authenticate via the Authorization request header field"). The
 * description is fixed so that it can neither echo what the client sent (a secret, an assertion)
 * nor tell an unknown client id from a wrong secret.
 */
final class InvalidClientAnswer {

    /** Keycloak's own text for the failures it already answers uniformly, so both read alike. */
    static final String DESCRIPTION = "Invalid client or Invalid client credentials";

    private InvalidClientAnswer() {
    }

    /**
     * Whether a client authenticator's outcome refuses the request (as opposed to success, or
     * {@code ATTEMPTED}: "not for me", which lets the next authenticator try).
     *
     * @param context the client authentication, after Keycloak's authenticator ran
     * @return true for every failed or challenged outcome
     */
    static boolean isRefusal(ClientAuthenticationFlowContext context) {
        FlowStatus status = context.getStatus();
        return status == FlowStatus.FAILED || status == FlowStatus.CHALLENGE
                || status == FlowStatus.FAILURE_CHALLENGE || status == FlowStatus.FORCE_CHALLENGE;
    }

    /**
     * Replaces the outcome with a failure carrying {@link #of this answer}. Keycloak's
     * {@code ClientAuthenticationFlow} then records the error as the event's error (lower-cased,
     * e.g. {@code invalid_client_credentials}, {@code client_not_found}) and returns the answer.
     *
     * @param context the client authentication under way
     * @param error why it failed, for the event; the HTTP answer is the same whatever it is
     */
    static void refuse(ClientAuthenticationFlowContext context, AuthenticationFlowError error) {
        context.failure(error, of(context));
    }

    /**
     * Builds the answer for the request the context belongs to.
     *
     * @param context the client authentication under way; its realm names the challenge
     * @return a new 401 response; the entity is Keycloak's {@link OAuth2ErrorRepresentation}
     *         because endpoints such as CIBA's cast the entity of a client-authentication failure to it
     */
    static Response of(ClientAuthenticationFlowContext context) {
        Response.ResponseBuilder answer = Response.status(Response.Status.UNAUTHORIZED)
                .entity(new OAuth2ErrorRepresentation(OAuthErrorException.INVALID_CLIENT, DESCRIPTION))
                .type(MediaType.APPLICATION_JSON_TYPE);
        if (authorizationHeader(context) != null) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + context.getRealm().getName() + "\"");
        }
        return answer.build();
    }

    /**
     * @param context the client authentication under way
     * @return the request's {@code Authorization} header, or null when it has none
     */
    static String authorizationHeader(ClientAuthenticationFlowContext context) {
        return context.getHttpRequest().getHttpHeaders().getRequestHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    }
}
