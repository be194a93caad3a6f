package io.github.kcawspack.awsidentity.verify;

import java.net.URI;
import java.time.Duration;

/**
 * Server-level settings for calling STS. They are provider configuration (kc.sh options or
 * KC_SPI_... variables), never realm settings, so neither a request nor a realm administrator
 * can point Keycloak at another endpoint.
 *
 * @param endpointOverride where to send every request instead of sts.{region}.{suffix}, e.g. a
 *                         VPC endpoint or a test double; null for the real regional endpoint
 * @param connectTimeout   how long to wait for a connection (and for one from the pool)
 * @param deadline         the whole exchange, connection to last byte; past it the call is aborted
 * @param maxResponseBytes a larger answer is refused without being read further
 */
public record ForwardingSettings(URI endpointOverride, Duration connectTimeout, Duration deadline, int maxResponseBytes) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

    public ForwardingSettings {
        if (endpointOverride != null && (endpointOverride.getHost() == null
                || !("https".equals(endpointOverride.getScheme()) || "http".equals(endpointOverride.getScheme())))) {
            throw new IllegalArgumentException("sts-endpoint must be an http(s) URL with a host");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("the response cap must be at least 1024 bytes");
        }
    }

    /** True when requests go to an override over plain HTTP: never AWS, which answers over HTTPS only. */
    public boolean forwardsOverPlainHttp() {
        return endpointOverride != null && "http".equals(endpointOverride.getScheme());
    }
}
