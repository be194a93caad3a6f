package io.github.kcawspack.awsidentity.authenticator;

import io.github.kcawspack.awsidentity.AwsIdentityVerifier;
import io.github.kcawspack.awsidentity.AwsIdentityVerifier.VerifiedPrincipal;
import io.github.kcawspack.awsidentity.forwarding.ForwardingSettings;
import io.github.kcawspack.awsidentity.forwarding.StsConcurrencyLimit;
import io.github.kcawspack.awsidentity.forwarding.StsForwarder;
import io.github.kcawspack.awsidentity.identity.AwsPrincipal;
import io.github.kcawspack.awsidentity.request.AwsIdentityRequest;
import io.github.kcawspack.awsidentity.settings.AwsIdentitySettings;
import io.github.kcawspack.awsidentity.settings.InvalidSettingsException;
import io.github.kcawspack.awsidentity.settings.PrincipalBindingsPage;
import io.github.kcawspack.awsidentity.settings.RealmSettings;
import io.github.kcawspack.awsidentity.usermapping.AwsUserMapper;
import io.github.kcawspack.awsidentity.usermapping.LinkedUsers;
import io.github.kcawspack.awsidentity.verification.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.verification.ConfiguredAudiences;
import io.github.kcawspack.awsidentity.verification.ReplayGuard;
import io.github.kcawspack.awsidentity.verification.RequestPreflight;
import io.github.kcawspack.awsidentity.verification.VerificationSettings;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.events.Details;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Adapts the verification pipeline to Keycloak's authentication flow: reads the form, runs the
 * pipeline with this realm's settings, maps the principal to a user, and reports success or a
 * declared rejection as an event and an RFC 6749 error response.
 */
public class AwsIdentityAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(AwsIdentityAuthenticator.class);

    private final ForwardingSettings forwardingSettings;
    private final StsConcurrencyLimit concurrencyLimit;
    private final ScheduledExecutorService deadlines;
    private final LinkedUsers linkedUsers;
    private final Set<String> inFlightSignatures;
    private final boolean serverHostnameConfigured;

    /** Event detail naming what is wrong with the realm's settings (the reason is config_invalid or no_bindings). */
    static final String CONFIG_ERROR_DETAIL = "aws_identity_settings_error";

    /** The realm attribute behind "Frontend URL" in the realm settings. */
    private static final String REALM_FRONTEND_URL = "frontendUrl";

    /** Everything but the session is the factory's, shared by all requests of the server. */
    AwsIdentityAuthenticator(ForwardingSettings forwardingSettings, StsConcurrencyLimit concurrencyLimit,
            ScheduledExecutorService deadlines, LinkedUsers linkedUsers,
            Set<String> inFlightSignatures, boolean serverHostnameConfigured) {
        this.inFlightSignatures = inFlightSignatures;
        this.serverHostnameConfigured = serverHostnameConfigured;
        this.forwardingSettings = forwardingSettings;
        this.concurrencyLimit = concurrencyLimit;
        this.deadlines = deadlines;
        this.linkedUsers = linkedUsers;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        KeycloakSession session = context.getSession();
        try {
            VerifiedPrincipal verified = verifier(session, context.getRealm(), settingsOf(context.getRealm()))
                    .verify(AwsIdentityRequest.fromForm(context.getHttpRequest().getDecodedFormParameters()));
            AwsPrincipal principal = verified.principal();
            AwsEvents.describe(context.getEvent(), principal);

            UserModel user = new AwsUserMapper(session, context.getRealm(), linkedUsers).userFor(principal, verified.binding());
            context.setUser(user);
            AwsSessionNotes.record(context.getAuthenticationSession(), principal);
            keepSessionTransientWithoutRefreshTokens(context);
            AwsIdentityAuthenticatorFactory.markVerified(session);
            context.success();
        } catch (AwsIdentityRejection rejection) {
            reject(context, rejection);
        }
    }

    /**
     * The realm's settings from its admin-console items; invalid ones fail the request closed, with
     * the same message the console shows when it refuses to save them, in the log and the event.
     */
    private static AwsIdentitySettings settingsOf(RealmModel realm) {
        AwsIdentitySettings settings;
        try {
            settings = AwsIdentitySettings.of(realm);
        } catch (InvalidSettingsException e) {
            LOG.errorf("aws_identity refused in realm %s: its settings are invalid: %s", realm.getName(), e.getMessage());
            throw AwsIdentityRejection.misconfigured("config_invalid", e.getMessage());
        }
        if (settings.bindings().bindings().isEmpty()) {
            String detail = "no principal bindings configured (admin console page " + PrincipalBindingsPage.ID
                    + "); every AWS principal is refused";
            LOG.errorf("aws_identity refused in realm %s: %s", realm.getName(), detail);
            throw AwsIdentityRejection.misconfigured("no_bindings", detail);
        }
        return settings;
    }

    private AwsIdentityVerifier verifier(KeycloakSession session, RealmModel realm, AwsIdentitySettings configured) {
        RealmSettings realmSettings = configured.realm();
        // Keycloak's issuer for this realm counts only where configuration fixes its host: then it is
        // the same whatever Host or forwarded headers the request carries.
        boolean hostnameFixed = serverHostnameConfigured || isHttpUrl(realm.getAttribute(REALM_FRONTEND_URL));
        Set<String> audiences = ConfiguredAudiences.of(
                hostnameFixed ? Optional.of(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()))
                        : Optional.empty(),
                realmSettings.extraAudiences());
        VerificationSettings settings = new VerificationSettings(realmSettings.maxAge(), realmSettings.clockSkew(),
                realmSettings.requireAudience(), audiences);
        Clock clock = Clock.systemUTC();
        return new AwsIdentityVerifier(
                new RequestPreflight(settings, clock),
                new ReplayGuard(singleUseStore(session), inFlightSignatures, clock),
                concurrencyLimit.around(new StsForwarder(session.getProvider(HttpClientProvider.class).getHttpClient(),
                        deadlines, forwardingSettings)),
                configured.bindings());
    }

    /**
     * Whether a realm's Frontend URL is one Keycloak uses: its hostname provider ignores (and logs) a
     * value that is not an http(s) URL and falls back to the request, so such a value fixes nothing.
     */
    private static boolean isHttpUrl(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(value.trim());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static ReplayGuard.SingleUseStore singleUseStore(KeycloakSession session) {
        SingleUseObjectProvider store = session.singleUseObjects();
        return new ReplayGuard.SingleUseStore() {
            @Override
            public boolean putIfAbsent(String key, long lifespanSeconds) {
                return store.putIfAbsent(key, lifespanSeconds);
            }

            @Override
            public boolean contains(String key) {
                return store.contains(key);
            }
        };
    }

    /** A machine login that gets no refresh token needs no session beyond this request. */
    private static void keepSessionTransientWithoutRefreshTokens(AuthenticationFlowContext context) {
        if (!OIDCAdvancedConfigWrapper.fromClientModel(context.getAuthenticationSession().getClient()).isUseRefreshToken()) {
            context.getAuthenticationSession().setClientNote(AuthenticationManager.USER_SESSION_PERSISTENT_STATE,
                    UserSessionModel.SessionPersistenceState.TRANSIENT.toString());
        }
    }

    private static void reject(AuthenticationFlowContext context, AwsIdentityRejection rejection) {
        LOG.debugf("aws_identity refused: %s", rejection.reason());
        context.getEvent().detail(Details.REASON, rejection.reason());
        if (rejection.operatorDetail() != null) {
            context.getEvent().detail(CONFIG_ERROR_DETAIL, rejection.operatorDetail());
        }
        context.getEvent().error(rejection.error().code());
        Response response = Response.status(rejection.error().httpStatus())
                .entity(new OAuth2ErrorRepresentation(rejection.error().code(), rejection.description()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
        context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, response);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // Direct grant: one request, no form to post back.
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
