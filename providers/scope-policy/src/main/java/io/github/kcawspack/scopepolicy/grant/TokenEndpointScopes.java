package io.github.kcawspack.scopepolicy.grant;

import io.github.kcawspack.scopepolicy.config.RealmClassicScopes;
import io.github.kcawspack.scopepolicy.config.RealmScopePolicy;
import io.github.kcawspack.scopepolicy.enforcement.ClientScopes;
import io.github.kcawspack.scopepolicy.enforcement.GateResult;
import io.github.kcawspack.scopepolicy.enforcement.ScopePolicyEvents;
import io.github.kcawspack.scopepolicy.enforcement.WithheldScopes;
import io.github.kcawspack.scopepolicy.model.Requester;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.function.Supplier;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * The policy at the token endpoint, for the grants that issue tokens without a login
 * (client credentials, refresh token): the scope parameter to go on with, or the request's end.
 */
final class TokenEndpointScopes {

    private TokenEndpointScopes() {
    }

    /**
     * The requested scope completed by the client's scope semantics (RFC 6749 section 3.3, page
     * classic-scope-semantics), before the policy narrows it. Not for a refresh: it keeps the
     * scope originally granted (RFC 6749 section 6).
     *
     * @param scopeParameter the request's scope parameter, possibly null
     * @return the parameter to go on with, possibly null
     */
    static String complete(RealmModel realm, ClientModel client, String scopeParameter, EventBuilder event, Cors cors) {
        try {
            return RealmClassicScopes.of(realm, client).complete(scopeParameter, RealmClassicScopes.optionalScopes(client));
        } catch (RealmScopePolicy.Unavailable e) {
            ScopePolicyEvents.unavailable(event, e.getMessage());
            throw new CorsErrorResponseException(cors, OAuthErrorException.SERVER_ERROR, "scope policy unavailable",
                    Response.Status.INTERNAL_SERVER_ERROR);
        }
    }

    /**
     * @param session        the request's session, through which the realm's policy is read once per request
     * @param scopeParameter the parameter Keycloak would use (already validated by Keycloak)
     * @param requester      built only when the realm has a policy
     * @return the (possibly narrowed) parameter, or empty when nothing of the request is left
     */
    static Optional<String> narrow(KeycloakSession session, RealmModel realm, ClientModel client, String scopeParameter, Supplier<Requester> requester,
                                   EventBuilder event, Cors cors) {
        Optional<ScopePolicy> policy;
        try {
            policy = RealmScopePolicy.of(session, realm);
        } catch (RealmScopePolicy.Unavailable e) {
            ScopePolicyEvents.unavailable(event, e.getMessage());
            throw new CorsErrorResponseException(cors, OAuthErrorException.SERVER_ERROR, "scope policy unavailable",
                    Response.Status.INTERNAL_SERVER_ERROR);
        }
        if (policy.isEmpty()) {
            return Optional.ofNullable(scopeParameter);
        }
        GateResult result = ClientScopes.evaluate(policy.get(), client, scopeParameter, requester.get());
        if (result.rejected()) {
            ScopePolicyEvents.rejected(event, result.withheld().keySet());
            throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_SCOPE, result.rejection().orElseThrow(),
                    Response.Status.BAD_REQUEST);
        }
        if (result.narrowed()) {
            ScopePolicyEvents.withheld(event, result.withheld().keySet());
            WithheldScopes.rememberForRequest(session, result.withheld().keySet());
        }
        return Optional.ofNullable(result.scopeParameter());
    }
}
