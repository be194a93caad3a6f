package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.principal.AwsSessionNotes;
import io.github.kcawspack.awsidentity.principal.AwsUserMapper;
import io.github.kcawspack.awsidentity.principal.LinkedUsers;
import io.github.kcawspack.awsidentity.verify.AwsIdentityRequest;
import io.github.kcawspack.awsidentity.verify.AwsIdentityVerifier.VerifiedPrincipal;
import io.github.kcawspack.linkage.KeycloakOverride;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.RequiredActionContextResult;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

/**
 * {@code grant_type=aws_identity}: verifies a client-signed {@code sts:GetCallerIdentity} request
 * with AWS STS, finds the Keycloak user of the principal STS names, and issues tokens. No
 * authentication flow runs; the shape is that of Keycloak's own grants that verify an external
 * proof, {@code ClientCredentialsGrantType} and {@code JWTAuthorizationGrantType} (Keycloak 26.7
 * sources, {@code org.keycloak.protocol.oidc.grants}): checks in request order, then an
 * authentication session, a user session (transient unless the client uses refresh tokens) and
 * Keycloak's token builder.
 *
 * <p>{@link #process} in request order; every refusal is an RFC 6749 section 5.2 error with a
 * {@code LOGIN_ERROR} event naming the reason, and no secret or STS answer in either:
 * <ol>
 *   <li>client switched on ({@link ClientSwitch}), else {@code unauthorized_client};</li>
 *   <li>client does not require consent (there is no one to ask), else {@code unauthorized_client};</li>
 *   <li>scopes valid for the client (Keycloak's {@code TokenManager.isValidScope}), else {@code invalid_scope};</li>
 *   <li>the signed request verified, STS's answer read, the principal admitted by a binding
 *       ({@link RealmVerifier}), else the rejection's own error;</li>
 *   <li>the principal's user ({@link AwsUserMapper}: linked or provisioned, enabled);</li>
 *   <li>the user is no service-account user and has no pending required action
 *       ({@link #userRefusal}), else {@code invalid_grant}: a machine login cannot be prompted;</li>
 *   <li>the restricted-scope policy's required-action trigger, where that JAR narrows the scope
 *       (no other trigger: they prompt people); an action left pending refuses with
 *       {@code invalid_grant};</li>
 *   <li>sessions and tokens. Every access token Keycloak builds passes through the realm's token
 *       context encoder, where the restricted-scope policy judges it once more.</li>
 * </ol>
 *
 * <p>Client policies: no client-policy event is fired by this grant. Keycloak's event set is fixed
 * and none describes it; firing the password grant's events would make the OAuth 2.1 profiles'
 * {@code reject-ropc-grant} refuse it, and the service-account events would apply
 * client_credentials rules to a user login.
 */
public class AwsIdentityGrantType extends OAuth2GrantTypeBase {

    /** The provider id of the scope-policy JAR's required action "Restricted scope policy". */
    static final String SCOPE_POLICY_ACTION = "restricted-scope-policy";

    /** {@code authMethod} of the user sessions this grant creates (shown in the admin console's sessions). */
    static final String AUTH_METHOD = AwsIdentityGrantTypeFactory.GRANT_TYPE;

    private final ClientSwitch clientSwitch;
    private final RealmVerifier verifier;
    private final LinkedUsers linkedUsers;

    /** The factory's shared parts; a new grant object serves one request. */
    AwsIdentityGrantType(ClientSwitch clientSwitch, RealmVerifier verifier, LinkedUsers linkedUsers) {
        this.clientSwitch = clientSwitch;
        this.verifier = verifier;
        this.linkedUsers = linkedUsers;
    }

    /**
     * Issues tokens for a verified AWS principal, or refuses.
     *
     * @param context the token request, as Keycloak's token endpoint hands it over (client authenticated)
     * @return the token response
     * @throws CorsErrorResponseException for every refusal (RFC 6749 section 5.2 body)
     */
    @Override
    @KeycloakOverride // the entry point: every check above lives here
    public Response process(Context context) {
        return process(context, AwsIdentityGrantTypeFactory.GRANT_TYPE, verifier::verify);
    }

    /**
     * Verifies an AWS principal the way {@code proof} establishes it, then runs every check of
     * {@link #process(Context)} that follows verification (client switch first, then user mapping,
     * required-action triggers, sessions and tokens). The RFC 7523 path for AWS-issued JWTs
     * ({@code AwsJwtBearerGrantType}) calls this with its own proof so that the client switch, the principal
     * bindings, the user links and the restricted-scope policy apply to it exactly as here.
     *
     * @param context   the token request
     * @param grantType the grant type to name in the event's {@code grant_type} detail
     * @param proof     verifies the request's proof of an AWS principal and finds its binding
     * @return the token response
     * @throws CorsErrorResponseException for every refusal (RFC 6749 section 5.2 body)
     */
    public Response process(Context context, String grantType, PrincipalProof proof) {
        setContext(context);
        event.detail(Details.GRANT_TYPE, grantType);

        if (!clientSwitch.isOn(realm, client)) {
            refuse(OAuthErrorException.UNAUTHORIZED_CLIENT, Errors.NOT_ALLOWED,
                    "Client is not enabled for the aws_identity grant");
        }
        if (client.isConsentRequired()) {
            // A machine login has no one to ask; granting without the consent the client demands would skip it.
            refuse(OAuthErrorException.UNAUTHORIZED_CLIENT, Errors.CONSENT_DENIED,
                    "Client requires user consent, which the aws_identity grant cannot ask for");
        }
        String scope = getRequestedScopes();
        if (TokenUtil.isOfflineTokenRequested(scope)) {
            // Refused, not dropped: a client asking for offline_access expects a long-lived
            // credential, and this grant issues none (useRefreshToken), so it must learn that now.
            refuse(OAuthErrorException.INVALID_SCOPE, Errors.INVALID_REQUEST,
                    "The aws_identity grant issues no refresh or offline tokens; sign a new request when the access token expires");
        }

        VerifiedPrincipal verified;
        UserModel user;
        try {
            verified = proof.verify(session, realm, formParams);
            AwsEvents.describe(event, verified.principal());
            user = new AwsUserMapper(session, realm, linkedUsers).userFor(verified.principal(), verified.binding());
        } catch (AwsIdentityRejection rejection) {
            throw refused(rejection);
        }
        event.user(user).detail(Details.USERNAME, user.getUsername());
        Optional<Refusal> userRefusal = userRefusal(user);
        if (userRefusal.isPresent()) {
            refuse(OAuthErrorException.INVALID_GRANT, userRefusal.get().eventError(), userRefusal.get().description());
        }

        return issue(user, verified, scope);
    }

    /** Sessions and tokens, as Keycloak's client_credentials grant builds them. */
    private Response issue(UserModel user, VerifiedPrincipal verified, String scope) {
        RootAuthenticationSessionModel rootAuthSession = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = rootAuthSession.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);
        // Become user session notes when the session is attached below.
        AwsSessionNotes.record(authSession, verified.principal());

        // The restricted-scope policy (a JAR of its own) narrows a login's scope in its required
        // action's trigger, the one point where the user is known and the scope still open. Only
        // that trigger runs: the others ask a person for something (a profile, a passkey), which a
        // machine login never is, and Keycloak's client_credentials and JWT authorization grants
        // run none (they cost ~10 % of this grant's CPU: docs/benchmark.md). Never a prompt: an
        // action left pending refuses the login.
        evaluateScopePolicyTrigger(authSession, user);
        if (user.getRequiredActionsStream().findAny().isPresent() || !authSession.getRequiredActions().isEmpty()) {
            new AuthenticationSessionManager(session).removeAuthenticationSession(realm, authSession, false);
            refuse(OAuthErrorException.INVALID_GRANT, Errors.RESOLVE_REQUIRED_ACTIONS, "Account is not fully set up");
        }
        String grantedScope = authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM);

        // No refresh token (useRefreshToken), so nothing could use a stored session: keep none, as
        // client_credentials does without refresh tokens (KEYCLOAK-9551).
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(rootAuthSession.getId(), realm, user,
                user.getUsername(), clientConnection.getRemoteHost(), AUTH_METHOD, false, null, null,
                UserSessionModel.SessionPersistenceState.TRANSIENT);
        event.session(userSession);

        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        updateUserSessionFromClientAuth(userSession);
        return createTokenResponse(user, userSession, clientSessionCtx, grantedScope, true, null);
    }

    /**
     * Runs the trigger of the restricted-scope policy's required action when the realm has it
     * enabled; nothing otherwise. Without it no login is narrowed, and the policy's token judge
     * (the enforcement point every token passes) refuses a withheld scope instead of leaving it
     * out, so the policy holds either way.
     */
    private void evaluateScopePolicyTrigger(AuthenticationSessionModel authSession, UserModel user) {
        realm.getRequiredActionProvidersStream()
                .filter(action -> action.isEnabled() && SCOPE_POLICY_ACTION.equals(action.getProviderId()))
                .map(action -> (RequiredActionFactory) session.getKeycloakSessionFactory()
                        .getProviderFactory(RequiredActionProvider.class, action.getProviderId()))
                .filter(Objects::nonNull)
                .findFirst()
                .ifPresent(factory -> factory.create(session).evaluateTriggers(
                        new RequiredActionContextResult(authSession, realm, event, session, request, user, factory)));
    }

    /**
     * Never: every token of this grant rests on a proof STS confirmed moments ago. A refresh token
     * would outlive that proof, and everything an administrator takes away (the binding, the link,
     * the client's switch, a re-created role's old identity) would not reach a session that
     * refreshes; a workload signs a new request instead, as it does for client_credentials.
     *
     * @return false
     */
    @Override
    protected boolean useRefreshToken() {
        return false;
    }

    /** A proof of an AWS principal in a token request, verified; the binding that admits it found. */
    @FunctionalInterface
    public interface PrincipalProof {
        /**
         * @return the verified principal and the first binding that admits it
         * @throws io.github.kcawspack.awsidentity.AwsIdentityRejection for every refusal
         */
        VerifiedPrincipal verify(org.keycloak.models.KeycloakSession session, org.keycloak.models.RealmModel realm,
                jakarta.ws.rs.core.MultivaluedMap<String, String> form);
    }

    /**
     * Why {@code user} may not have tokens through this grant, if it may not. The rules are the
     * password grant's and the JWT authorization grant's (Keycloak 26.7): pending required actions
     * refuse the login ("Account is not fully set up"), never prompt, except the restricted-scope
     * policy's, whose trigger takes it off (README, "Restricted-scope policies"); and a client's service-account
     * user is reached through client_credentials only.
     *
     * @param user the user the principal maps to (the mapper already refuses a disabled one; it is
     *             checked again here so that this grant's rule does not rest on the mapper's)
     * @return the refusal, or empty when the user may log in
     */
    static Optional<Refusal> userRefusal(UserModel user) {
        if (user.getServiceAccountClientLink() != null) {
            return Optional.of(new Refusal(Errors.NOT_ALLOWED, "The user of this AWS principal is a service account"));
        }
        if (!user.isEnabled()) {
            return Optional.of(new Refusal(Errors.USER_DISABLED, "The user of this AWS principal is disabled"));
        }
        // The restricted-scope policy's own action never asks anything: its trigger, which runs
        // later in this request, takes it off the user, as on the password grant. Should it still
        // be pending after the trigger (the action disabled), the login is refused there.
        if (user.getRequiredActionsStream().anyMatch(action -> !SCOPE_POLICY_ACTION.equals(action))) {
            return Optional.of(new Refusal(Errors.RESOLVE_REQUIRED_ACTIONS, "Account is not fully set up"));
        }
        return Optional.empty();
    }

    /**
     * A refusal of the user.
     *
     * @param eventError  the LOGIN_ERROR event's error
     * @param description the error_description (names no attribute or value of the user)
     */
    record Refusal(String eventError, String description) {
    }

    private CorsErrorResponseException refused(AwsIdentityRejection rejection) {
        event.detail(Details.REASON, rejection.reason());
        if (rejection.operatorDetail() != null) {
            event.detail(AwsEvents.CONFIG_ERROR, rejection.operatorDetail());
        }
        event.error(rejection.error().code());
        return new CorsErrorResponseException(cors, rejection.error().code(), rejection.description(),
                Response.Status.fromStatusCode(rejection.error().httpStatus()));
    }

    private void refuse(String oauthError, String eventError, String description) {
        event.detail(Details.REASON, description);
        event.error(eventError);
        throw new CorsErrorResponseException(cors, oauthError, description, Response.Status.BAD_REQUEST);
    }

    /** {@code LOGIN} / {@code LOGIN_ERROR}, as when this grant rode the password grant. */
    @Override
    @KeycloakOverride // the token endpoint names the event after it
    public EventType getEventType() {
        return EventType.LOGIN;
    }

    /**
     * Declared so that Keycloak's token endpoint keeps them up to its larger limit for token
     * parameters ({@code headers_json} with a session token exceeds the default 4000 characters).
     * Keycloak 26.5 has neither the method nor the limit.
     *
     * @return the aws_identity form parameters
     */
    @Override
    public Set<String> getTokenParameterNames() {
        return Set.copyOf(AwsIdentityRequest.PARAMETER_NAMES);
    }
}
