package io.github.kcawspack.awsidentity.grant;

import io.github.kcawspack.awsidentity.verify.ForwardingSettings;
import io.github.kcawspack.awsidentity.verify.StsConcurrencyLimit;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The server-level aws_identity options, in one place: their names, defaults, console metadata and
 * how they are read. A realm administrator cannot change them (the STS endpoint above all).
 *
 * <p>They keep the names they had when the grant ran the "aws-identity" authenticator, under that
 * provider's scope: {@code --spi-authenticator--aws-identity--sts-endpoint=...} or
 * {@code KC_SPI_AUTHENTICATOR__AWS_IDENTITY__STS_ENDPOINT}. Existing server configurations keep
 * working unchanged; the authenticator factory still declares them to Keycloak
 * ({@link #metadata}), the grant's factory reads them ({@link #read}).
 *
 * @param forwarding         endpoint override, timeouts and the STS answer cap
 * @param maxConcurrentCalls most STS calls under way at once on this node
 */
public record ServerOptions(ForwardingSettings forwarding, int maxConcurrentCalls) {

    /** The provider whose configuration scope holds the options (see the class comment). */
    public static final String SPI = "authenticator";
    public static final String PROVIDER = "aws-identity";

    static final String STS_ENDPOINT = "sts-endpoint";
    static final String CONNECT_TIMEOUT_MILLIS = "connect-timeout-millis";
    static final String TIMEOUT_MILLIS = "timeout-millis";
    static final String MAX_RESPONSE_BYTES = "max-response-bytes";
    static final String MAX_CONCURRENT_CALLS = "max-concurrent-calls";

    /**
     * @return the options as Keycloak lists them ({@code kc.sh show-config}, server info): a new
     *         list of new properties on each call, since Keycloak's property objects are mutable
     */
    public static List<ProviderConfigProperty> metadata() {
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
                .helpText("Largest STS answer read; a larger one is refused (503) without being parsed.").add()
                .property().name(MAX_CONCURRENT_CALLS).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(StsConcurrencyLimit.DEFAULT_MAX_CONCURRENT_CALLS)
                .helpText("Most STS calls under way at once on this node. A login finding them all busy waits while STS keeps "
                        + "answering (at most 1 s) and gets 503 once STS stalls. Each call holds an "
                        + "HTTP worker thread until STS answers or the timeout passes: keep this well below "
                        + "http-pool-max-threads, so that a hanging STS cannot stall the rest of the server.").add()
                .build();
    }

    /**
     * Reads the options.
     *
     * @param config the configuration scope of {@value #SPI} / {@value #PROVIDER}
     * @return the options, defaults where unset
     * @throws IllegalArgumentException when a value is out of range (the server does not start:
     *                                  a wrong STS endpoint must never be guessed around)
     */
    public static ServerOptions read(Config.Scope config) {
        String endpoint = config.get(STS_ENDPOINT);
        ForwardingSettings forwarding = new ForwardingSettings(
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim()),
                Duration.ofMillis(config.getLong(CONNECT_TIMEOUT_MILLIS, ForwardingSettings.DEFAULT_CONNECT_TIMEOUT.toMillis())),
                Duration.ofMillis(config.getLong(TIMEOUT_MILLIS, ForwardingSettings.DEFAULT_DEADLINE.toMillis())),
                config.getInt(MAX_RESPONSE_BYTES, ForwardingSettings.DEFAULT_MAX_RESPONSE_BYTES));
        return new ServerOptions(forwarding,
                config.getInt(MAX_CONCURRENT_CALLS, StsConcurrencyLimit.DEFAULT_MAX_CONCURRENT_CALLS));
    }
}
