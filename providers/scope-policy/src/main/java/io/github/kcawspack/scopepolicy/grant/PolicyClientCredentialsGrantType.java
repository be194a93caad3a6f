package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantType;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * Keycloak's client credentials grant, with the requested scopes judged for the client's service
 * account (its roles and groups) before Keycloak builds the token from them (after the client's
 * scope semantics completed them, RFC 6749 section 3.3), and with
 * {@code unauthorized_client} answered with HTTP 400 as RFC 6749 section 5.2 says (Keycloak
 * answers a public, bearer-only or service-account-less client with 401).
 */
public class PolicyClientCredentialsGrantType extends ClientCredentialsGrantType {

    /**
     * Keycloak's grant, with its 401 {@code unauthorized_client} refusals re-issued as 400.
     *
     * @param context the token request
     * @return Keycloak's token response
     * @throws CorsErrorResponseException Keycloak's refusals, with {@code unauthorized_client} as 400
     */
    @Override
    public Response process(Context context) {
        try {
            return super.process(context);
        } catch (CorsErrorResponseException refused) {
            throw withRfc6749Status(refused, cors);
        }
    }

    /**
     * @param refused a refusal of Keycloak's grant
     * @param cors    the request's CORS answer
     * @return {@code refused}, or the same {@code unauthorized_client} with 400 where Keycloak answered
     *         it with 401 (RFC 6749 section 5.2); the refused grant has recorded its event already
     */
    static CorsErrorResponseException withRfc6749Status(CorsErrorResponseException refused, Cors cors) {
        if (!isUnauthorizedClientAs401(refused.getResponse())) {
            return refused;
        }
        return new CorsErrorResponseException(cors, OAuthErrorException.UNAUTHORIZED_CLIENT,
                refused.getErrorDescription(), Response.Status.BAD_REQUEST);
    }

    /**
     * @param answer a refusal's HTTP answer
     * @return whether it is {@code unauthorized_client} with status 401 (RFC 6749 section 5.2: 400)
     */
    static boolean isUnauthorizedClientAs401(Response answer) {
        return answer != null && answer.getStatus() == Response.Status.UNAUTHORIZED.getStatusCode()
                && answer.getEntity() instanceof OAuth2ErrorRepresentation error
                && OAuthErrorException.UNAUTHORIZED_CLIENT.equals(error.getError());
    }

    @Override
    protected String getRequestedScopes() {
        String requested = TokenEndpointScopes.complete(realm, client, super.getRequestedScopes(), event, cors);
        UserModel serviceAccount = session.users().getServiceAccount(client);
        if (serviceAccount == null) {
            // Keycloak refuses the request itself (the client has no service account).
            return requested;
        }
        return TokenEndpointScopes.narrow(session, realm, client, requested,
                () -> RequesterFacts.of(serviceAccount, note -> null, OAuth2Constants.CLIENT_CREDENTIALS), event, cors)
                .orElse(null);
    }
}
