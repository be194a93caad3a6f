package io.github.kcawspack.scopepolicy.token;

import io.github.kcawspack.scopepolicy.config.RealmScopePolicy;
import io.github.kcawspack.scopepolicy.enforcement.JudgedGrantTypes;
import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import io.github.kcawspack.scopepolicy.enforcement.ScopePolicyEvents;
import io.github.kcawspack.scopepolicy.login.SessionGrantType;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.services.ErrorResponseException;

/**
 * The one check every access token Keycloak builds goes through while its realm has a
 * restricted-scope policy: whatever the grant (Keycloak's own, a later Keycloak's, another
 * extension's), at the moment Keycloak's token manager starts a token from the client session
 * context, before any protocol mapper runs and before the ID token, the refresh token and the
 * response's {@code scope} are derived from that same context.
 *
 * <p>It does not narrow: the grants the pack can narrow did so before Keycloak built the context
 * (the required action for logins, the client credentials, refresh and token-exchange grants).
 * It refuses what is left: a grant the pack cannot judge (400 {@code unauthorized_client}, RFC
 * 6749 section 5.2) and a token that would still carry a scope the policy withholds from its user
 * for its grant (400 {@code invalid_scope}), as for device-code, CIBA and JWT-bearer tokens whose
 * scope was fixed before the user was known. Scope words are judged as the client scope Keycloak
 * resolved them to ({@code organization:acme} is the client scope {@code organization}).
 */
final class TokenJudge {

    private static final Logger LOG = Logger.getLogger(TokenJudge.class);

    /** Event reason for a grant the pack does not know how to judge. */
    static final String UNJUDGED_GRANT_REASON = "scope_policy_grant_type";

    private TokenJudge() {
    }

    /**
     * @param ctx the client session context Keycloak is about to build an access token from
     * @throws ErrorResponseException 400 unauthorized_client for a grant the pack cannot judge,
     *                                400 invalid_scope when the token would carry a withheld scope,
     *                                500 server_error when the realm's policy cannot be read
     */
    static void judge(KeycloakSession session, ClientSessionContext ctx) {
        AuthenticatedClientSessionModel clientSession = ctx.getClientSession();
        RealmModel realm = clientSession.getRealm();
        Optional<ScopePolicy> policy;
        try {
            policy = RealmScopePolicy.of(realm);
        } catch (RealmScopePolicy.Unavailable e) {
            throw new ErrorResponseException(OAuthErrorException.SERVER_ERROR, "scope policy unavailable",
                    Response.Status.INTERNAL_SERVER_ERROR);
        }
        if (policy.isEmpty()) {
            return;
        }
        ClientModel client = clientSession.getClient();
        UserSessionModel userSession = clientSession.getUserSession();
        UserModel user = userSession.getUser();
        String grantType = grantTypeOf(session, ctx);
        if (!JudgedGrantTypes.admits(policy.get(), grantType)) {
            String shown = grantType == null ? "of this request" : "'" + grantType + "'";
            LOG.warnf("Refused a token for client %s in realm %s: grant type %s is not one the restricted scope policy "
                    + "can judge; list it in the policy's allowGrantTypes to allow it", client.getClientId(), realm.getName(), shown);
            errorEvent(session, realm, client, user, grantType)
                    .detail(Details.REASON, UNJUDGED_GRANT_REASON)
                    .error(Errors.NOT_ALLOWED);
            throw new ErrorResponseException(OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "grant type " + shown + " is not allowed while the realm has a restricted-scope policy", Response.Status.BAD_REQUEST);
        }
        // A refresh is judged as the grant that started the session (a rule "only through
        // aws_identity" keeps holding for its refreshes and never opens to a password session).
        String judgedAs = OAuth2Constants.REFRESH_TOKEN.equals(grantType) ? SessionGrantType.of(clientSession, user) : grantType;
        List<String> scopes = ctx.getClientScopesStream()
                .filter(scope -> !(scope instanceof ClientModel))
                .map(scope -> clientScopeName(realm, scope))
                .distinct()
                .toList();
        ScopePolicy.Decision decision = policy.get().decide(client.getClientId(), scopes,
                RequesterFacts.of(user, userSession::getNote, judgedAs));
        if (!decision.withheld().isEmpty()) {
            String scope = decision.withheld().keySet().iterator().next();
            LOG.debugf("Refused a %s token for client %s: scope %s is withheld (%s)", grantType, client.getClientId(), scope,
                    decision.withheld().get(scope));
            ScopePolicyEvents.rejected(errorEvent(session, realm, client, user, grantType), decision.withheld().keySet());
            throw new ErrorResponseException(OAuthErrorException.INVALID_SCOPE, "scope '" + scope + "' is not permitted for this request",
                    Response.Status.BAD_REQUEST);
        }
    }

    /**
     * The grant a token is built for. Keycloak's grants name themselves on the context; the
     * front channel (implicit, hybrid) does not, nor does the UMA grant, which is told apart by
     * the token request's own {@code grant_type}. Null when nothing names it.
     */
    private static String grantTypeOf(KeycloakSession session, ClientSessionContext ctx) {
        String named = ctx.getAttribute(Constants.GRANT_TYPE, String.class);
        if (named != null) {
            return named;
        }
        String requested = tokenRequestGrantType(session);
        if (requested != null) {
            return requested;
        }
        String responseType = ctx.getClientSession().getNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM);
        if (responseType == null) {
            return null;
        }
        // A front-channel access token is the implicit grant (hybrid "code token" too); "code id_token"
        // builds one only to hash it, its tokens come from the code exchange.
        return Arrays.asList(responseType.split(" ")).contains(OAuth2Constants.TOKEN)
                ? JudgedGrantTypes.IMPLICIT : JudgedGrantTypes.AUTHORIZATION_CODE;
    }

    private static String tokenRequestGrantType(KeycloakSession session) {
        HttpRequest request = session.getContext().getHttpRequest();
        if (request == null || request.getHttpHeaders() == null
                || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getHttpHeaders().getMediaType())) {
            return null;
        }
        return request.getDecodedFormParameters().getFirst(OAuth2Constants.GRANT_TYPE);
    }

    /** The realm's client scope a requested word resolved to, by id: a decorated scope may carry the word. */
    private static String clientScopeName(RealmModel realm, ClientScopeModel scope) {
        ClientScopeModel stored = scope.getId() == null ? null : realm.getClientScopeById(scope.getId());
        if (stored != null) {
            return stored.getName();
        }
        String name = scope.getName();
        int separator = name.indexOf(ClientScopeModel.VALUE_SEPARATOR);
        return separator > 0 ? name.substring(0, separator) : name;
    }

    private static EventBuilder errorEvent(KeycloakSession session, RealmModel realm, ClientModel client, UserModel user, String grantType) {
        EventType type = EventType.LOGIN;
        if (grantType != null) {
            OAuth2GrantType grant = session.getProvider(OAuth2GrantType.class, grantType);
            if (grant != null) {
                type = grant.getEventType();
            }
        }
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(type)
                .client(client)
                .user(user);
        return grantType == null ? event : event.detail(Details.GRANT_TYPE, grantType);
    }
}
