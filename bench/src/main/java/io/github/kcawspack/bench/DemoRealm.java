package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo realm (realm-export/demo-realm.json) as the benchmark uses it, and the requests of
 * Keycloak's own grants: the yardstick for aws_identity. They go through the confidential client
 * {@code testclient}, its secret in HTTP Basic as RFC 6749 prefers.
 */
final class DemoRealm {

    static final String REALM = "demo";
    static final String TESTCLIENT = "testclient";
    static final String TESTCLIENT_SECRET = "testclient-dev-secret";
    /** Public, aws_identity only, no refresh tokens. */
    static final String AWS_WORKLOAD = "aws-workload";
    static final String[][] USERS = {{"alice", "alice-dev-password"}, {"bob", "bob-dev-password"}};

    /**
     * Keycloak's HttpClientProvider pool, which the grant calls STS through: {@code
     * connection-pool-size} over all routes and {@code max-pooled-per-route}, the STS pool (one
     * route). Keycloak 26.7.3's defaults, set explicitly: the connection target is judged against them.
     */
    static final int STS_POOL_TOTAL = 128;
    static final int STS_POOL_PER_ROUTE = 64;

    /** The component type of the items of the pack's admin console pages. */
    static final String PAGE_COMPONENT_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";

    /** The server option limiting STS calls under way at once (the pack's README, server options). */
    static final String MAX_CONCURRENT_CALLS_VARIABLE = "KC_SPI_AUTHENTICATOR__AWS_IDENTITY__MAX_CONCURRENT_CALLS";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoRealm() {
    }

    /**
     * Keycloak's environment: the export's development secrets set explicitly, so that a secret
     * exported in the caller's shell cannot change what the benchmark logs in with; the STS pool;
     * {@code max-concurrent-calls} unless 0 (then the server's default).
     */
    static Map<String, String> environment(int maxConcurrentCalls) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TESTCLIENT_SECRET", TESTCLIENT_SECRET);
        environment.put("ALICE_PASSWORD", USERS[0][1]);
        environment.put("BOB_PASSWORD", USERS[1][1]);
        environment.put("KC_SPI_CONNECTIONS_HTTP_CLIENT__DEFAULT__CONNECTION_POOL_SIZE", Integer.toString(STS_POOL_TOTAL));
        environment.put("KC_SPI_CONNECTIONS_HTTP_CLIENT__DEFAULT__MAX_POOLED_PER_ROUTE", Integer.toString(STS_POOL_PER_ROUTE));
        if (maxConcurrentCalls > 0) {
            environment.put(MAX_CONCURRENT_CALLS_VARIABLE, Integer.toString(maxConcurrentCalls));
        }
        return environment;
    }

    static TokenEndpoint.Source clientCredentials() {
        TokenEndpoint.Request request = confidential(Map.of("grant_type", Grant.CLIENT_CREDENTIALS.wireName()));
        return worker -> request;
    }

    /** Worker n logs in as alice or bob, by turns of n. */
    static TokenEndpoint.Source password() {
        TokenEndpoint.Request[] logins = {passwordLogin(0), passwordLogin(1)};
        return worker -> logins[worker % logins.length];
    }

    /**
     * Each of {@code workers} workers refreshes its own refresh token, obtained here by a password
     * login. The demo realm does not revoke refresh tokens on use, so one serves a worker all run.
     */
    static TokenEndpoint.Source refreshToken(TokenEndpoint endpoint, int workers) {
        TokenEndpoint.Request[] refreshes = new TokenEndpoint.Request[workers];
        for (int worker = 0; worker < workers; worker++) {
            try {
                String token = JSON.readTree(endpoint.obtain(passwordLogin(worker))).path("refresh_token").asText(null);
                if (token == null) {
                    throw new IllegalStateException("token response without refresh_token");
                }
                refreshes[worker] = confidential(Map.of("grant_type", Grant.REFRESH_TOKEN.wireName(), "refresh_token", token));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return worker -> refreshes[worker];
    }

    private static TokenEndpoint.Request passwordLogin(int index) {
        String[] user = USERS[index % USERS.length];
        return confidential(Map.of("grant_type", Grant.PASSWORD.wireName(), "username", user[0], "password", user[1]));
    }

    private static TokenEndpoint.Request confidential(Map<String, String> parameters) {
        return TokenEndpoint.Request.of(parameters, TESTCLIENT, TESTCLIENT_SECRET);
    }

    /**
     * How long the replay guard remembers a signed request in the demo realm, in seconds, {usual,
     * longest}: until the request would be refused as too old anyway (X-Amz-Date plus the realm's
     * maxAgeSeconds), plus the guard's one-minute margin for the clocks of cluster nodes
     * (ReplayGuard.NODE_CLOCK_MARGIN); a request signed up to the allowed clock skew in the future
     * is remembered that much longer.
     */
    static long[] replayLifespans(Path projectRoot) {
        try {
            JsonNode realm = JSON.readTree(projectRoot.resolve("realm-export/demo-realm.json").toFile());
            // The realm's "aws-identity-settings" admin-console item; config values are lists.
            for (JsonNode item : realm.path("components").path(PAGE_COMPONENT_TYPE)) {
                if ("aws-identity-settings".equals(item.path("providerId").asText())) {
                    JsonNode settings = item.path("config");
                    long maxAge = settings.path("maxAgeSeconds").path(0).asLong(900);
                    return new long[] {maxAge + 60, maxAge + settings.path("clockSkewSeconds").path(0).asLong(300) + 60};
                }
            }
            throw new IllegalStateException("the demo realm has no aws-identity-settings item");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
