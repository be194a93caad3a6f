package io.github.kcawspack.awsidentity.authenticator;

import io.github.kcawspack.awsidentity.ProviderLinkage;
import io.github.kcawspack.awsidentity.forwarding.ForwardingSettings;
import io.github.kcawspack.awsidentity.forwarding.StsConcurrencyLimit;
import io.github.kcawspack.awsidentity.forwarding.StsDeadlines;
import io.github.kcawspack.awsidentity.usermapping.LinkedUsers;
import io.github.kcawspack.awsidentity.verification.ReplayGuard;
import io.github.kcawspack.linkage.KeycloakOverride;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The "AWS identity (sts:GetCallerIdentity)" authenticator for direct-grant flows used by the
 * aws_identity grant.
 *
 * <p>Two levels of configuration: per realm, in the flow execution's settings (bindings,
 * audience, request age), shown in the admin console; per server, as provider options (the STS
 * endpoint override, timeouts and limits), which a realm administrator cannot change:
 * {@code --spi-authenticator--aws-identity--sts-endpoint=...} or
 * {@code KC_SPI_AUTHENTICATOR__AWS_IDENTITY__STS_ENDPOINT}.
 */
public class AwsIdentityAuthenticatorFactory implements AuthenticatorFactory {

    private static final Logger LOG = Logger.getLogger(AwsIdentityAuthenticatorFactory.class);

    public static final String PROVIDER_ID = "aws-identity";

    static final String BINDINGS = "bindings";
    static final String REQUIRE_AUDIENCE = "requireAudience";
    static final String EXTRA_AUDIENCES = "extraAudiences";
    static final String MAX_AGE_SECONDS = "maxAgeSeconds";
    static final String CLOCK_SKEW_SECONDS = "clockSkewSeconds";

    static final String STS_ENDPOINT = "sts-endpoint";
    static final String CONNECT_TIMEOUT_MILLIS = "connect-timeout-millis";
    static final String TIMEOUT_MILLIS = "timeout-millis";
    static final String MAX_RESPONSE_BYTES = "max-response-bytes";
    static final String MAX_CONCURRENT_CALLS = "max-concurrent-calls";

    /** Request-scoped marker the grant checks before it lets a token be built. */
    private static final String VERIFIED_ATTRIBUTE = AwsIdentityAuthenticatorFactory.class.getName() + ".verified";

    private static final List<ProviderConfigProperty> REALM_SETTINGS = ProviderConfigurationBuilder.create()
            .property().name(BINDINGS).label("Principal bindings").type(ProviderConfigProperty.TEXT_TYPE)
            .helpText("JSON list of the AWS principals that may log in, and what they get. Each binding pins one "
                    + "account (12 digits, no wildcards) and matches the principal type (role or user) and name "
                    + "(* and ? wildcards); it may pin the unique id (AROA.../AIDA...), allow creating the user on "
                    + "first login, and add groups and realm roles. Example: [{\"account\":\"123456789012\","
                    + "\"type\":\"role\",\"namePattern\":\"deploy-*\",\"provisionUsers\":true,\"groups\":[\"/aws\"]}]. "
                    + "A principal no binding matches gets invalid_grant.")
            .add()
            .property().name(REQUIRE_AUDIENCE).label("Require audience").type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("true")
            .helpText("On (recommended): the client must sign an X-Keycloak-Audience header naming this realm's "
                    + "issuer URL (or an extra audience below). Off accepts legacy clients that sign no audience, "
                    + "but then any other service that receives a signed GetCallerIdentity from your workloads "
                    + "(for its own login) can replay it here and obtain tokens as that workload.")
            .add()
            .property().name(EXTRA_AUDIENCES).label("Extra audiences").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Audience values accepted besides this realm's issuer URL, e.g. the public issuer URL when "
                    + "Keycloak sits behind a proxy. The issuer URL itself is accepted only where the server's hostname "
                    + "(--hostname) or the realm's Frontend URL is set; with neither, and no extra audience, "
                    + "aws_identity is refused.")
            .add()
            .property().name(MAX_AGE_SECONDS).label("Maximum request age (seconds)").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("900")
            .helpText("How old a signed request (its X-Amz-Date) may be. Shorter limits how long a leaked request "
                    + "is worth anything; AWS itself accepts 900.")
            .add()
            .property().name(CLOCK_SKEW_SECONDS).label("Allowed clock skew (seconds)").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("300")
            .helpText("How far in the future X-Amz-Date may be, for clients whose clocks run ahead.")
            .add()
            .build();

    private ForwardingSettings forwardingSettings;
    private StsConcurrencyLimit concurrencyLimit;
    private ScheduledExecutorService deadlines;
    private final ParsedBindings parsedBindings = new ParsedBindings();
    private final LinkedUsers linkedUsers = new LinkedUsers();
    private final Set<String> inFlightSignatures = ReplayGuard.newInFlightSet();
    private boolean serverHostnameConfigured;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "AWS identity (sts:GetCallerIdentity)";
    }

    @Override
    public String getHelpText() {
        return "Verifies an AWS principal for the aws_identity grant: checks the client's signed "
                + "sts:GetCallerIdentity request, forwards it to AWS STS, and maps the principal AWS confirms to a user "
                + "through the configured bindings. Use it in a direct grant flow bound to the client.";
    }

    @Override
    public String getReferenceCategory() {
        return "aws-identity";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {
                AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return REALM_SETTINGS;
    }

    @Override
    @KeycloakOverride // declares the server options (sts-endpoint, timeouts, limits) to Keycloak
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(STS_ENDPOINT).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Send every GetCallerIdentity call here instead of https://sts.{region}.{partition suffix}/ "
                        + "(VPC endpoints, tests). The signed Host header is kept.")
                .add()
                .property().name(CONNECT_TIMEOUT_MILLIS).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(ForwardingSettings.DEFAULT_CONNECT_TIMEOUT.toMillis())
                .helpText("Milliseconds to wait for a connection to STS.").add()
                .property().name(TIMEOUT_MILLIS).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(ForwardingSettings.DEFAULT_DEADLINE.toMillis())
                .helpText("Milliseconds for the whole STS call; past it the call is aborted and the client gets 503.").add()
                .property().name(MAX_RESPONSE_BYTES).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(ForwardingSettings.DEFAULT_MAX_RESPONSE_BYTES)
                .helpText("Largest STS answer read.").add()
                .property().name(MAX_CONCURRENT_CALLS).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(StsConcurrencyLimit.DEFAULT_MAX_CONCURRENT_CALLS)
                .helpText("Most STS calls under way at once on this node. A login finding them all busy waits while STS keeps "
                        + "answering (at most 1 s) and gets 503 once STS stalls. Each call holds an "
                        + "HTTP worker thread until STS answers or the timeout passes: keep this well below "
                        + "http-pool-max-threads, so that a hanging STS cannot stall the rest of the server.").add()
                .build();
    }

    @Override
    public void init(Config.Scope config) {
        ProviderLinkage.require();
        String endpoint = config.get(STS_ENDPOINT);
        forwardingSettings = new ForwardingSettings(
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim()),
                Duration.ofMillis(config.getLong(CONNECT_TIMEOUT_MILLIS, ForwardingSettings.DEFAULT_CONNECT_TIMEOUT.toMillis())),
                Duration.ofMillis(config.getLong(TIMEOUT_MILLIS, ForwardingSettings.DEFAULT_DEADLINE.toMillis())),
                config.getInt(MAX_RESPONSE_BYTES, ForwardingSettings.DEFAULT_MAX_RESPONSE_BYTES));
        if (forwardingSettings.forwardsOverPlainHttp()) {
            // AWS STS and its VPC endpoints answer only over HTTPS: plain HTTP is a simulator
            // (bin/run-keycloak --local-sts, the tests). Said loudly, so it is never mistaken for AWS.
            LOG.warnf("aws_identity forwards every signed request to %s over plain HTTP, not to AWS STS: "
                    + "an STS simulator, for development and tests only", forwardingSettings.endpointOverride());
        }
        concurrencyLimit = new StsConcurrencyLimit(
                config.getInt(MAX_CONCURRENT_CALLS, StsConcurrencyLimit.DEFAULT_MAX_CONCURRENT_CALLS));
        deadlines = StsDeadlines.newTimer();
        // Keycloak's --hostname (KC_HOSTNAME), read from the scope of its hostname provider as that
        // provider reads it. Set, it fixes the host of every realm's issuer URL.
        String hostname = Config.scope("hostname", "v2").get("hostname");
        serverHostnameConfigured = hostname != null && !hostname.isBlank();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new AwsIdentityAuthenticator(forwardingSettings, concurrencyLimit, deadlines, parsedBindings, linkedUsers,
                inFlightSignatures, serverHostnameConfigured);
    }

    @Override
    public void close() {
        if (deadlines != null) {
            deadlines.shutdownNow();
        }
    }

    static void markVerified(KeycloakSession session) {
        session.setAttribute(VERIFIED_ATTRIBUTE, Boolean.TRUE);
    }

    /** True once this request's AWS identity was verified and mapped to the authenticated user. */
    public static boolean verifiedThisRequest(KeycloakSession session) {
        return Boolean.TRUE.equals(session.getAttribute(VERIFIED_ATTRIBUTE));
    }
}
