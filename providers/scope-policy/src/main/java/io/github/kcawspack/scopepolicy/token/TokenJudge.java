package io.github.kcawspack.scopepolicy.token;

import io.github.kcawspack.scopepolicy.config.RealmClassicScopes;
import io.github.kcawspack.scopepolicy.config.RealmScopePolicy;
import io.github.kcawspack.scopepolicy.enforcement.JudgedGrantTypes;
import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import io.github.kcawspack.scopepolicy.enforcement.ScopePolicyEvents;
import io.github.kcawspack.scopepolicy.enforcement.WithheldScopes;
import io.github.kcawspack.scopepolicy.login.SessionGrantType;
import io.github.kcawspack.scopepolicy.model.ClassicScopes;
import io.github.kcawspack.scopepolicy.model.Requester;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import io.github.kcawspack.scopepolicy.model.ScopeSemantics;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Errors;
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

    /** Event reason for a token whose scope disagrees with its client's scope semantics. */
    static final String SEMANTICS_REASON = "scope_semantics";

    private TokenJudge() {
    }

    /**
     * Why a token may not be built, as the token endpoint answers it (RFC 6749 section 5.2).
     *
     * @param error       the OAuth error code
     * @param description names the grant type or the scope, never a rule's roles or groups
     * @param status      HTTP status: 400, or 500 when the policy cannot be read
     * @param eventError  the error of the error event, null when no event is due
     * @param eventReason the event's reason detail
     * @param grantType   the grant the token was for, null when nothing names it
     * @param withheld    the withheld scopes the token would have carried
     * @param problem     why the policy cannot be read, for the event only (never the client); null otherwise
     */
    record Refusal(String error, String description, Response.Status status, String eventError, String eventReason,
                   String grantType, Set<String> withheld, String problem) {
    }

    /**
     * @param ctx the client session context Keycloak is about to build an access token from
     * @return empty when the token may be built; otherwise why not: unauthorized_client for a
     *         grant the pack cannot judge, invalid_scope when the token would carry a withheld
     *         scope, server_error when the realm's policy cannot be read
     */
    static Optional<Refusal> verdict(KeycloakSession session, ClientSessionContext ctx) {
        AuthenticatedClientSessionModel clientSession = ctx.getClientSession();
        RealmModel realm = clientSession.getRealm();
        Optional<ScopePolicy> policy;
        try {
            policy = RealmScopePolicy.of(session, realm);
        } catch (RealmScopePolicy.Unavailable e) {
            return Optional.of(new Refusal(OAuthErrorException.SERVER_ERROR, "scope policy unavailable",
                    Response.Status.INTERNAL_SERVER_ERROR, OAuthErrorException.SERVER_ERROR, ScopePolicyEvents.UNAVAILABLE_REASON,
                    grantTypeOf(session, ctx), Set.of(), e.getMessage()));
        }
        ClientModel client = clientSession.getClient();
        UserSessionModel userSession = clientSession.getUserSession();
        UserModel user = userSession.getUser();
        String grantType = grantTypeOf(session, ctx);
        ClassicScopes classic;
        try {
            classic = RealmClassicScopes.of(realm, client);
        } catch (RealmScopePolicy.Unavailable e) {
            return Optional.of(new Refusal(OAuthErrorException.SERVER_ERROR, "scope policy unavailable",
                    Response.Status.INTERNAL_SERVER_ERROR, OAuthErrorException.SERVER_ERROR, ScopePolicyEvents.UNAVAILABLE_REASON,
                    grantType, Set.of(), e.getMessage()));
        }
        if (policy.isEmpty() && classic.semantics() == ScopeSemantics.KEYCLOAK) {
            return Optional.empty();
        }
        // A refresh is judged as the grant that started the session (a rule "only through
        // aws_identity" keeps holding for its refreshes and never opens to a password session).
        String judgedAs = OAuth2Constants.REFRESH_TOKEN.equals(grantType) ? SessionGrantType.of(clientSession, user) : grantType;
        List<String> scopes = ctx.getClientScopesStream()
                .filter(scope -> !(scope instanceof ClientModel))
                .map(scope -> clientScopeName(realm, scope))
                .distinct()
                .toList();
        Requester requester = RequesterFacts.of(user, userSession::getNote, judgedAs);
        Optional<Refusal> disagreeing = disagreement(classic, client, scopes, WithheldScopes.of(session, clientSession), policy, requester,
                grantType);
        if (disagreeing.isPresent() || policy.isEmpty()) {
            return disagreeing;
        }
        if (!JudgedGrantTypes.admits(policy.get(), grantType)) {
            String shown = grantType == null ? "of this request" : "'" + grantType + "'";
            LOG.warnf("Refused a token for client %s in realm %s: grant type %s is not one the restricted scope policy "
                    + "can judge; list it under \"Allowed unjudged grant types\" on the restricted-scope-settings page to allow it", client.getClientId(), realm.getName(), shown);
            return Optional.of(new Refusal(OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "grant type " + shown + " is not allowed while the realm has a restricted-scope policy", Response.Status.BAD_REQUEST,
                    Errors.NOT_ALLOWED, UNJUDGED_GRANT_REASON, grantType, Set.of(), null));
        }
        // The token goes to the client of the request, which is not always the client whose
        // session it is built from (a UMA ticket is exchanged by the requesting client against the
        // resource server's session): the rules of both must allow every scope.
        for (ClientModel judgedFor : clientsOf(session, client)) {
            ScopePolicy.Decision decision = policy.get().decide(judgedFor.getClientId(), scopes, requester);
            if (!decision.withheld().isEmpty()) {
                String scope = decision.withheld().keySet().iterator().next();
                LOG.debugf("Refused a %s token for client %s: scope %s is withheld (%s)", grantType, judgedFor.getClientId(), scope,
                        decision.withheld().get(scope));
                return Optional.of(new Refusal(OAuthErrorException.INVALID_SCOPE, "scope '" + scope + "' is not permitted for this request",
                        Response.Status.BAD_REQUEST, OAuthErrorException.INVALID_SCOPE, ScopePolicyEvents.REASON, grantType,
                        decision.withheld().keySet(), null));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the token's optional client scopes are what the client's scope semantics give
     * (RFC 6749 section 3.3, page classic-scope-semantics): the pack completes the scope where a
     * login or a token request can still change it, and every other path (a device or CIBA token
     * whose scope was fixed before the user was known, a grant the pack does not replace) must
     * come out the same or is refused rather than issue other scopes than the client's defaults.
     * Expected are the completed scopes minus those the policy withholds from this requester. The
     * scopes the pack already withheld from the request count as named (a request naming only
     * withheld scopes named scopes and gets none of the defaults), and scopes the token carries
     * that the policy withholds are left to the policy's own check, whose refusal names them.
     *
     * @param scopes   the realm client scopes the token would carry, by name
     * @param withheld the scopes the pack left out of the request ({@link WithheldScopes}), by name
     * @return an invalid_scope refusal when they disagree; empty otherwise or for Keycloak's semantics
     */
    static Optional<Refusal> disagreement(ClassicScopes classic, ClientModel client, List<String> scopes, Set<String> withheld,
                                          Optional<ScopePolicy> policy, Requester requester, String grantType) {
        if (classic.semantics() == ScopeSemantics.KEYCLOAK) {
            return Optional.empty();
        }
        Set<String> optional = RealmClassicScopes.optionalScopes(client);
        List<String> carried = scopes.stream().filter(optional::contains).toList();
        Set<String> withheldNow = policy.isEmpty() ? Set.of()
                : policy.get().decide(client.getClientId(), new ArrayList<>(optional), requester).withheld().keySet();
        // A scope the token carries was not narrowed away from it, whatever a record says. A record
        // counts also when the policy no longer withholds the scope: a refresh keeps the scope the
        // first token got (RFC 6749 section 6), and that token had it narrowed away.
        Set<String> narrowedAway = new LinkedHashSet<>(withheld);
        narrowedAway.retainAll(optional);
        carried.forEach(narrowedAway::remove);
        Set<String> named = new LinkedHashSet<>(carried);
        named.addAll(narrowedAway);
        String completed = classic.complete(String.join(" ", named), optional);
        Set<String> expected = new LinkedHashSet<>();
        if (completed != null) {
            Arrays.stream(completed.split(" ")).filter(optional::contains).forEach(expected::add);
        }
        expected.removeAll(narrowedAway);
        expected.removeAll(withheldNow);
        Set<String> allowed = new LinkedHashSet<>(carried);
        allowed.removeAll(withheldNow);
        if (expected.equals(allowed)) {
            return Optional.empty();
        }
        LOG.warnf("Refused a %s token for client %s: its scope (%s) is not what the client's %s scope semantics give (%s); "
                + "the request must name its scope on this path", grantType, client.getClientId(), String.join(" ", carried),
                classic.semantics().word(), String.join(" ", expected));
        return Optional.of(new Refusal(OAuthErrorException.INVALID_SCOPE,
                "the requested scope does not follow the client's scope semantics on this grant; name the scope in the request",
                Response.Status.BAD_REQUEST, OAuthErrorException.INVALID_SCOPE, SEMANTICS_REASON, grantType, Set.of(), null));
    }

    /** The session's client and, when another one made this request, that one too. */
    private static List<ClientModel> clientsOf(KeycloakSession session, ClientModel sessionClient) {
        ClientModel requesting = session.getContext().getClient();
        return requesting == null || requesting.getId() == null || requesting.getId().equals(sessionClient.getId())
                ? List.of(sessionClient)
                : List.of(sessionClient, requesting);
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
        // "code id_token" builds an access token here only to hash it; its tokens come from the code exchange.
        return JudgedGrantTypes.ofResponseType(responseType);
    }

    private static String tokenRequestGrantType(KeycloakSession session) {
        HttpRequest request = session.getContext().getHttpRequest();
        // Only the token endpoint's grant_type names a grant. A login or consent form is
        // form-encoded too, and a user who adds grant_type=authorization_code to it must not be
        // judged as that grant.
        String path = session.getContext().getUri() == null ? null : session.getContext().getUri().getPath();
        if (path == null || !path.endsWith("/protocol/openid-connect/token")) {
            return null;
        }
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
}
