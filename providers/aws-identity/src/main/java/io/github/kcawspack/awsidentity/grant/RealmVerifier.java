package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import io.github.kcawspack.awsidentity.settings.AwsIdentitySettings;
import io.github.kcawspack.awsidentity.settings.InvalidSettingsException;
import io.github.kcawspack.awsidentity.settings.ParsedSettings;
import io.github.kcawspack.awsidentity.settings.PrincipalBindingsPage;
import io.github.kcawspack.awsidentity.settings.RealmSettings;
import io.github.kcawspack.awsidentity.verify.AwsIdentityRequest;
import io.github.kcawspack.awsidentity.verify.AwsIdentityVerifier.VerifiedPrincipal;
import io.github.kcawspack.awsidentity.verify.AwsIdentityVerifier;
import io.github.kcawspack.awsidentity.verify.ConfiguredAudiences;
import io.github.kcawspack.awsidentity.verify.ForwardingSettings;
import io.github.kcawspack.awsidentity.verify.ReplayGuard;
import io.github.kcawspack.awsidentity.verify.RequestPreflight;
import io.github.kcawspack.awsidentity.verify.StsConcurrencyLimit;
import io.github.kcawspack.awsidentity.verify.StsForwarder;
import io.github.kcawspack.awsidentity.verify.VerificationSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.services.Urls;

/**
 * Runs the verification pipeline ({@link AwsIdentityVerifier}) for one token request with its
 * realm's settings (read through {@link ParsedSettings}) and the server's shared parts (STS
 * options, concurrency limit, deadline timer, in-flight signatures), which the grant's factory
 * owns and hands in.
 */
final class RealmVerifier {

    private static final Logger LOG = Logger.getLogger(RealmVerifier.class);

    /** The realm attribute behind "Frontend URL" in the realm settings. */
    private static final String REALM_FRONTEND_URL = "frontendUrl";

    private final ForwardingSettings forwarding;
    private final StsConcurrencyLimit concurrencyLimit;
    private final ScheduledExecutorService deadlines;
    private final Set<String> inFlightSignatures;
    private final boolean serverHostnameConfigured;
    private final ParsedSettings parsedSettings = new ParsedSettings();

    /**
     * @param forwarding               the server's STS options
     * @param concurrencyLimit         the node's limit on STS calls under way
     * @param deadlines                the timer that aborts STS calls past their deadline
     * @param inFlightSignatures       signatures being verified on this node right now
     * @param serverHostnameConfigured whether {@code --hostname} fixes every realm's issuer host
     */
    RealmVerifier(ForwardingSettings forwarding, StsConcurrencyLimit concurrencyLimit, ScheduledExecutorService deadlines,
            Set<String> inFlightSignatures, boolean serverHostnameConfigured) {
        this.forwarding = forwarding;
        this.concurrencyLimit = concurrencyLimit;
        this.deadlines = deadlines;
        this.inFlightSignatures = inFlightSignatures;
        this.serverHostnameConfigured = serverHostnameConfigured;
    }

    /**
     * Verifies the signed GetCallerIdentity request of a token request.
     *
     * @param session the request's session
     * @param realm   the realm whose settings apply
     * @param form    the token request's form parameters
     * @return the principal STS confirmed and the binding that admits it
     * @throws AwsIdentityRejection for every refusal, with its OAuth error, a description safe to
     *                              send and a reason for the event
     */
    VerifiedPrincipal verify(KeycloakSession session, RealmModel realm, MultivaluedMap<String, String> form) {
        AwsIdentitySettings settings = settingsOf(realm);
        AwsIdentityRequest request = AwsIdentityRequest.fromForm(form);
        return verifier(session, realm, settings).verify(request);
    }

    /**
     * The realm's settings from its admin-console items; invalid ones fail the request closed, with
     * the same message the console shows when it refuses to save them, in the log and the event.
     */
    private AwsIdentitySettings settingsOf(RealmModel realm) {
        AwsIdentitySettings settings;
        try {
            settings = parsedSettings.of(realm);
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
                        deadlines, forwarding)),
                configured.bindings(), forwarding.maxResponseBytes());
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
}
