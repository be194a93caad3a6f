package io.github.kcawspack.awsidentity.authenticator;

import io.github.kcawspack.awsidentity.ProviderLinkage;
import io.github.kcawspack.awsidentity.forwarding.ForwardingSettings;
import io.github.kcawspack.awsidentity.forwarding.StsConcurrencyLimit;
import io.github.kcawspack.awsidentity.forwarding.StsDeadlines;
import io.github.kcawspack.awsidentity.settings.AwsIdentitySettings;
import io.github.kcawspack.awsidentity.settings.LegacySettingsMigration;
import io.github.kcawspack.awsidentity.usermapping.LinkedUsers;
import io.github.kcawspack.awsidentity.verification.ReplayGuard;
import io.github.kcawspack.linkage.KeycloakOverride;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>Two levels of configuration: per realm, as items on the admin console pages of the settings
 * package (bindings, audience, request age; read by {@link AwsIdentitySettings}); per server, as provider options (the STS
 * endpoint override, timeouts and limits), which a realm administrator cannot change:
 * {@code --spi-authenticator--aws-identity--sts-endpoint=...} or
 * {@code KC_SPI_AUTHENTICATOR__AWS_IDENTITY__STS_ENDPOINT}.
 */
public class AwsIdentityAuthenticatorFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "aws-identity";

    static final String STS_ENDPOINT = "sts-endpoint";
    static final String CONNECT_TIMEOUT_MILLIS = "connect-timeout-millis";
    static final String TIMEOUT_MILLIS = "timeout-millis";
    static final String MAX_RESPONSE_BYTES = "max-response-bytes";
    static final String MAX_CONCURRENT_CALLS = "max-concurrent-calls";

    /** Request-scoped marker the grant checks before it lets a token be built. */
    private static final String VERIFIED_ATTRIBUTE = AwsIdentityAuthenticatorFactory.class.getName() + ".verified";

    private ForwardingSettings forwardingSettings;
    private StsConcurrencyLimit concurrencyLimit;
    private ScheduledExecutorService deadlines;
    private final LegacySettingsMigration migration = new LegacySettingsMigration(PROVIDER_ID);
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
        // The realm settings are admin-console items now (settings package), not the flow step's.
        return false;
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
        return List.of();
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
        // Realms configured by earlier versions: moved at start, and whenever a realm is imported.
        factory.register(event -> migration.onEvent(factory, event));
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new AwsIdentityAuthenticator(forwardingSettings, concurrencyLimit, deadlines, linkedUsers,
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
