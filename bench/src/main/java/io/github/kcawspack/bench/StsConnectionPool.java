package io.github.kcawspack.bench;

import java.util.Map;

/**
 * The connection pool of Keycloak's HttpClientProvider (SPI connections-http-client, provider
 * default), which the aws_identity grant calls STS through. The benchmark sets both options to
 * Keycloak's defaults (read from DefaultHttpClientFactory of 26.7.3) explicitly, so the figure
 * the STS connection target is judged against is the one the server runs with.
 */
final class StsConnectionPool {

    /** {@code connection-pool-size}: connections over all routes. */
    static final int TOTAL = 128;
    /** {@code max-pooled-per-route}: every STS call goes to one route (the endpoint), so this is the STS pool. */
    static final int PER_ROUTE = 64;

    private StsConnectionPool() {
    }

    static Map<String, String> keycloakEnvironment() {
        return Map.of(
                "KC_SPI_CONNECTIONS_HTTP_CLIENT__DEFAULT__CONNECTION_POOL_SIZE", Integer.toString(TOTAL),
                "KC_SPI_CONNECTIONS_HTTP_CLIENT__DEFAULT__MAX_POOLED_PER_ROUTE", Integer.toString(PER_ROUTE));
    }
}
