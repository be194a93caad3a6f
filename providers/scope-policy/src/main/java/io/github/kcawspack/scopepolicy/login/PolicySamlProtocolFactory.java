package io.github.kcawspack.scopepolicy.login;

import io.github.kcawspack.linkage.KeycloakOverride;
import io.github.kcawspack.scopepolicy.ProviderLinkage;
import io.github.kcawspack.scopepolicy.config.RealmScopePolicy;
import io.github.kcawspack.scopepolicy.enforcement.ScopePolicyEvents;
import io.github.kcawspack.scopepolicy.model.ScopePolicy;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.saml.SamlProtocol;
import org.keycloak.protocol.saml.SamlProtocolFactory;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Takes the place of Keycloak's {@code saml} login protocol (same id and order: Keycloak prefers a
 * deployed provider over its own built-in one of the same id) so that SAML fails closed where the
 * realm's policy cannot be applied to it. SAML logins are judged by the required action
 * {@value RealmScopePolicy#REQUIRED_ACTION_ID} ({@link RestrictedScopesRequiredAction}); this
 * factory refuses every request to the realm's SAML endpoint, and every other use of it, while the
 * realm has a policy and
 * <ul>
 *   <li>the policy cannot be read (HTTP 500 server_error), or</li>
 *   <li>that required action is missing or disabled in the realm, so Keycloak would not run it
 *       (HTTP 500 server_error), or</li>
 *   <li>the SAML endpoint is asked for from an OpenID Connect endpoint: Keycloak's token exchange
 *       (version 1) builds a SAML assertion for a SAML client there without a login, so without the
 *       required action (HTTP 400 invalid_request).</li>
 * </ul>
 * The same check runs again when a login is about to be answered with an assertion
 * ({@link #create}): a SAML login started at the endpoint, or rebuilt from Keycloak's restart
 * cookie at {@code login-actions}, can finish after the action was disabled, and then must not be
 * answered unjudged. Each refusal is logged and recorded as an error event with the reason.
 * Without a policy it behaves exactly as Keycloak's.
 */
public class PolicySamlProtocolFactory extends SamlProtocolFactory {

    private static final Logger LOG = Logger.getLogger(PolicySamlProtocolFactory.class);

    /** Event reason: the realm's policy cannot be applied to SAML, so the request was refused. */
    static final String NOT_APPLICABLE_REASON = "scope_policy_not_applicable";

    /**
     * @return Keycloak's SAML endpoint, unless the realm has a policy that cannot be applied to this request
     * @throws ErrorResponseException the refusal described on this class
     */
    @Override
    @KeycloakOverride // every SAML request, and every other use of Keycloak's SAML endpoint, starts here
    public Object createProtocolEndpoint(KeycloakSession session, EventBuilder event) {
        RealmModel realm = session.getContext().getRealm();
        if (realm != null) {
            refuseWhenPolicyCannotApply(session, realm, event);
        }
        return super.createProtocolEndpoint(session, event);
    }

    /**
     * @return Keycloak's SAML protocol, which before building an assertion refuses (as the endpoint
     *         does) while the realm has a policy that cannot be applied to SAML
     */
    @Override
    @KeycloakOverride // the protocol that answers a finished login: the endpoint is not on that path
    public LoginProtocol create(KeycloakSession session) {
        return new CheckedSamlProtocol().setSession(session);
    }

    /** Keycloak's SAML protocol with the check above before every assertion. */
    static final class CheckedSamlProtocol extends SamlProtocol {
        @Override
        public Response authenticated(AuthenticationSessionModel authSession, UserSessionModel userSession,
                ClientSessionContext clientSessionCtx) {
            RealmModel realm = authSession.getRealm();
            refuseWhenPolicyCannotApply(session, realm, event != null ? event
                    : new EventBuilder(realm, session, session.getContext().getConnection()));
            return super.authenticated(authSession, userSession, clientSessionCtx);
        }
    }

    private static void refuseWhenPolicyCannotApply(KeycloakSession session, RealmModel realm, EventBuilder event) {
        Optional<ScopePolicy> policy;
        try {
            policy = RealmScopePolicy.of(session, realm);
        } catch (RealmScopePolicy.Unavailable e) {
            ScopePolicyEvents.unavailable(typed(event), e.getMessage());
            throw new ErrorResponseException(OAuthErrorException.SERVER_ERROR, "scope policy unavailable",
                    Response.Status.INTERNAL_SERVER_ERROR);
        }
        if (policy.isEmpty()) {
            return;
        }
        if (!requiredActionEnabled(realm)) {
            LOG.errorf("Refusing SAML requests in realm %s: it has a restricted scope policy, and the required action %s, "
                    + "which applies it to SAML logins, is disabled or missing; enable it in Authentication > Required actions",
                    realm.getName(), RealmScopePolicy.REQUIRED_ACTION_ID);
            typed(event).detail(Details.REASON, NOT_APPLICABLE_REASON).error(OAuthErrorException.SERVER_ERROR);
            throw new ErrorResponseException(OAuthErrorException.SERVER_ERROR, "scope policy cannot be applied",
                    Response.Status.INTERNAL_SERVER_ERROR);
        }
        if (fromOpenIdConnectEndpoint(session)) {
            LOG.warnf("Refused a SAML assertion requested at an OpenID Connect endpoint of realm %s (token exchange): "
                    + "it would be built without the login that applies the restricted scope policy", realm.getName());
            typed(event).detail(Details.REASON, NOT_APPLICABLE_REASON).error(OAuthErrorException.INVALID_REQUEST);
            throw new ErrorResponseException(OAuthErrorException.INVALID_REQUEST,
                    "SAML assertions are not issued here while the realm has a restricted scope policy", Response.Status.BAD_REQUEST);
        }
    }

    /** Whether Keycloak evaluates the action's triggers at every login of {@code realm}: it must be there and enabled. */
    static boolean requiredActionEnabled(RealmModel realm) {
        return realm.getRequiredActionProvidersStream()
                .anyMatch(action -> RealmScopePolicy.REQUIRED_ACTION_ID.equals(action.getProviderId()) && action.isEnabled());
    }

    /** Whether this request is for /realms/{realm}/protocol/openid-connect/..., not for the SAML endpoint or a broker. */
    static boolean fromOpenIdConnectEndpoint(KeycloakSession session) {
        String path = session.getContext().getUri().getPath();
        return path != null && path.contains("/protocol/" + OIDCLoginProtocol.LOGIN_PROTOCOL + "/");
    }

    /** Keycloak refuses an error event without a type; the SAML endpoint's builder has none yet. */
    private static EventBuilder typed(EventBuilder event) {
        return event.getEvent().getType() == null ? event.event(EventType.LOGIN) : event;
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        super.init(config);
    }
}
