package io.github.kcawspack.scopepolicy.login;

import io.github.kcawspack.scopepolicy.config.RealmClassicScopes;
import io.github.kcawspack.scopepolicy.config.RealmScopePolicy;
import io.github.kcawspack.scopepolicy.enforcement.ClientScopes;
import io.github.kcawspack.scopepolicy.enforcement.GateResult;
import io.github.kcawspack.scopepolicy.enforcement.JudgedGrantTypes;
import io.github.kcawspack.scopepolicy.enforcement.RequesterFacts;
import io.github.kcawspack.scopepolicy.enforcement.ScopePolicyEvents;
import io.github.kcawspack.scopepolicy.enforcement.WithheldScopes;
import io.github.kcawspack.scopepolicy.model.ClassicScopes;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.saml.SamlProtocol;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Applies the realm's restricted-scope policy to every login, before consent and before Keycloak
 * turns the login into a session and tokens.
 *
 * <p>Why a required action: Keycloak evaluates the triggers of every enabled required action once
 * the user is known and before it shows the consent page or attaches the session, for browser
 * logins (authorization code, implicit, SSO re-logins), token-endpoint logins (password,
 * aws_identity) and the logins of every other protocol (SAML) alike. No other extension point sits
 * there. The action never asks the user to do anything. For OpenID Connect it first completes the
 * requested scope by the client's scope semantics ({@link RealmClassicScopes}, RFC 6749 section
 * 3.3); then, in filter mode, it narrows the requested scopes; in reject mode a browser login goes
 * back to the client with invalid_scope (the challenge below) and a token-endpoint login fails
 * with HTTP 400 invalid_scope at once. A SAML login carrying a withheld scope is refused (its
 * scopes are the client's default scopes, which cannot be left out); a login through a protocol
 * the pack cannot judge is refused unless the policy lists it as unjudged.
 */
public class RestrictedScopesRequiredAction implements RequiredActionProvider {

    private static final String REJECTION_NOTE = "scope_policy.rejection";
    private static final Logger LOG = Logger.getLogger(RestrictedScopesRequiredAction.class);

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        // Never a step for the user: assigned by hand or as a default action, it would make Keycloak
        // refuse token-endpoint logins ("Account is not fully set up"), which check the user's
        // required actions right after the triggers ran. The policy is applied here either way.
        if (context.getUser().getRequiredActionsStream().anyMatch(RealmScopePolicy.REQUIRED_ACTION_ID::equals)) {
            context.getUser().removeRequiredAction(RealmScopePolicy.REQUIRED_ACTION_ID);
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // Without a protocol Keycloak answers with its default login protocol (openid-connect),
        // whose tokens the token judge refuses when they carry a withheld scope.
        if (authSession == null || authSession.getProtocol() == null) {
            return;
        }
        String protocol = authSession.getProtocol();
        if (OIDCLoginProtocol.LOGIN_PROTOCOL.equals(protocol)) {
            // Nothing withheld until the policy says otherwise below; also when the realm has no
            // policy now, so that an earlier login's record on this client session is replaced.
            WithheldScopes.rememberForLogin(authSession, Set.of());
            // RFC 6749 section 3.3 semantics belong to OAuth requests; SAML has no scope parameter.
            completeScope(context, authSession);
        }
        Optional<ScopePolicy> policy = policyOrRefuse(context);
        if (policy.isEmpty()) {
            return;
        }
        if (OIDCLoginProtocol.LOGIN_PROTOCOL.equals(protocol)) {
            judgeOidcLogin(context, authSession, policy.get());
        } else if (SamlProtocol.LOGIN_PROTOCOL.equals(protocol)) {
            judgeSamlLogin(context, authSession, policy.get());
        } else if (!JudgedGrantTypes.admits(policy.get(), protocol)) {
            // docker-v2, oid4vc or a protocol of another extension: the pack cannot tell what it
            // issues, so its logins are refused unless the operator lists it as unjudged.
            LOG.warnf("Refused a login of client %s through login protocol %s: the realm has a restricted scope policy, which "
                    + "cannot judge that protocol; list it in the policy's allowed unjudged grant types to let it through unjudged",
                    authSession.getClient().getClientId(), protocol);
            refuseInProtocol(authSession, "login protocol '" + protocol + "' is not permitted while the realm has a restricted scope policy");
        }
    }

    private static void judgeOidcLogin(RequiredActionContext context, AuthenticationSessionModel authSession, ScopePolicy policy) {
        String grantType = LoginGrantType.of(authSession,
                context.getHttpRequest().getDecodedFormParameters().getFirst(OAuth2Constants.GRANT_TYPE));
        GateResult result = ClientScopes.evaluate(policy, authSession.getClient(),
                authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM),
                RequesterFacts.of(context.getUser(), authSession.getUserSessionNotes()::get, grantType));
        // Refreshes of this session are judged by the grant that started it.
        if (grantType != null) {
            authSession.setClientNote(SessionGrantType.NOTE, grantType);
        }
        // A device's token is built from the scope it asked for before anyone signed in: it cannot
        // be narrowed and is refused at the token endpoint. The consent page says so up front.
        boolean device = JudgedGrantTypes.DEVICE_CODE.equals(grantType);
        if (result.rejected() && !device) {
            refuse(context, result.rejection().orElseThrow(), result.withheld().keySet());
            return;
        }
        if (result.narrowed() && JudgedGrantTypes.returnsAccessTokenFromAuthorizationEndpoint(
                authSession.getClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM))) {
            // RFC 6749 section 4.2.2: the redirect must name the granted scope when it differs from
            // the request, and Keycloak never puts scope into it: refused rather than silently narrowed.
            String first = result.withheld().keySet().stream().sorted().findFirst().orElseThrow();
            refuse(context, "scope '" + first + "' is not permitted for this request", result.withheld().keySet());
            return;
        }
        // The token judge tells a request narrowed to nothing from one that skipped the client's defaults by this.
        WithheldScopes.rememberForLogin(authSession, result.withheld().keySet());
        if (result.narrowed()) {
            narrow(context, authSession, result);
            WithheldScopesOnConsent.remember(authSession, result.withheld(), device);
        }
        WithheldScopesOnConsent.show(context.getSession(), authSession);
    }

    /**
     * Applies the client's scope semantics (page classic-scope-semantics) to the requested scope,
     * before the policy judges it: a default scope the request gets is then judged like a
     * requested one. A device's token keeps the scope of its device authorization request; the
     * token judge refuses it when that disagrees with the semantics.
     */
    private static void completeScope(RequiredActionContext context, AuthenticationSessionModel authSession) {
        ClassicScopes classic;
        try {
            classic = RealmClassicScopes.of(context.getRealm(), authSession.getClient());
        } catch (RealmScopePolicy.Unavailable e) {
            throw unavailable(context, e);
        }
        String requested = authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM);
        String completed = classic.complete(requested, RealmClassicScopes.optionalScopes(authSession.getClient()));
        if (!Objects.equals(requested, completed)) {
            authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, completed);
            // Keycloak computed the session's client scopes (what consent lists) from the request's parameter.
            AuthenticationManager.setClientScopesInSession(context.getSession(), authSession);
        }
    }

    /**
     * A SAML login (browser POST or redirect binding, IdP-initiated, SSO re-login, ECP, brokered):
     * Keycloak builds the assertion's attributes from the mappers of the client scopes it attaches
     * after the required actions, computed as for OIDC from the client's default scopes and the
     * scope note (which SAML requests never set). Rules naming grant types see {@value
     * LoginGrantType#SAML}. A withheld default scope cannot be left out, so such a login is refused
     * with a SAML error response (an error page for an IdP-initiated login; ECP's passive login
     * gets Keycloak's NoPassive status).
     */
    private static void judgeSamlLogin(RequiredActionContext context, AuthenticationSessionModel authSession, ScopePolicy policy) {
        GateResult result = ClientScopes.evaluate(policy, authSession.getClient(), authSession.getClientNote(OAuth2Constants.SCOPE),
                RequesterFacts.of(context.getUser(), authSession.getUserSessionNotes()::get, LoginGrantType.SAML));
        if (result.rejected()) {
            ScopePolicyEvents.withheld(context.getEvent(), result.withheld().keySet());
            refuseInProtocol(authSession, result.rejection().orElseThrow());
        } else if (result.narrowed()) {
            narrow(context, authSession, result);
        }
    }

    /** Continues the login with the narrowed scope note, from which Keycloak attaches the session's scopes. */
    private static void narrow(RequiredActionContext context, AuthenticationSessionModel authSession, GateResult result) {
        ScopePolicyEvents.withheld(context.getEvent(), result.withheld().keySet());
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, result.scopeParameter());
        // Keycloak computed the session's client scopes (what consent lists) from the wider parameter.
        AuthenticationManager.setClientScopesInSession(context.getSession(), authSession);
    }

    private static Optional<ScopePolicy> policyOrRefuse(RequiredActionContext context) {
        try {
            return RealmScopePolicy.of(context.getSession(), context.getRealm());
        } catch (RealmScopePolicy.Unavailable e) {
            throw unavailable(context, e);
        }
    }

    /** The login's answer when the realm's policy or scope semantics cannot be read: fail closed, the reason in the event. */
    private static ErrorResponseException unavailable(RequiredActionContext context, RealmScopePolicy.Unavailable e) {
        ScopePolicyEvents.unavailable(context.getEvent(), e.getMessage());
        return new ErrorResponseException(OAuthErrorException.SERVER_ERROR, "scope policy unavailable",
                Response.Status.INTERNAL_SERVER_ERROR);
    }

    private static void refuse(RequiredActionContext context, String description, Set<String> withheld) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (LoginGrantType.isFrontChannel(authSession)) {
            refuseInProtocol(authSession, description);
            return;
        }
        ScopePolicyEvents.rejected(context.getEvent(), withheld);
        throw new ErrorResponseException(OAuthErrorException.INVALID_SCOPE, description, Response.Status.BAD_REQUEST);
    }

    /**
     * Only a challenge may answer a browser; Keycloak runs it next, before consent and before it
     * attaches the session. A passive login (prompt=none, SAML IsPassive, ECP) is answered by
     * Keycloak itself with an interaction-required error, since an action is pending.
     */
    private static void refuseInProtocol(AuthenticationSessionModel authSession, String description) {
        authSession.setAuthNote(REJECTION_NOTE, description);
        authSession.addRequiredAction(RealmScopePolicy.REQUIRED_ACTION_ID);
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String description = authSession.getAuthNote(REJECTION_NOTE);
        if (description == null) {
            // Assigned to a user by hand (or as a default action): there is nothing for the user to do.
            context.getUser().removeRequiredAction(RealmScopePolicy.REQUIRED_ACTION_ID);
            context.success();
            return;
        }
        ScopePolicyEvents.rejected(context.getEvent(), Set.of());
        KeycloakSession session = context.getSession();
        if (OIDCLoginProtocol.LOGIN_PROTOCOL.equals(authSession.getProtocol())) {
            context.challenge(ScopeRejectionRedirect.to(session, context.getRealm(), authSession, description));
            return;
        }
        // Other protocols answer in their own terms: SAML with a Response of status RequestDenied
        // to the client's assertion consumer service (an error page naming the scope for an
        // IdP-initiated login), as when a user declines consent.
        LoginProtocol protocol = session.getProvider(LoginProtocol.class, authSession.getProtocol());
        protocol.setRealm(context.getRealm()).setHttpHeaders(session.getContext().getRequestHeaders())
                .setUriInfo(session.getContext().getUri()).setEventBuilder(context.getEvent());
        context.challenge(protocol.sendError(authSession, LoginProtocol.Error.CONSENT_DENIED, description));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        // Never shows a form: nothing is posted back.
        context.success();
    }

    @Override
    public void close() {
    }
}
