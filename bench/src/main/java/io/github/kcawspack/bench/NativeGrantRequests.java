package io.github.kcawspack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Requests of Keycloak's own grants through the demo realm's confidential client {@code testclient}
 * (client secret in HTTP Basic, as RFC 6749 prefers): the yardstick for aws_identity.
 */
final class NativeGrantRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NativeGrantRequests() {
    }

    static TokenRequestSource clientCredentials() {
        TokenRequest request = confidential(Map.of("grant_type", Grant.CLIENT_CREDENTIALS.wireName()));
        return worker -> request;
    }

    /** Worker n logs in as alice or bob, by turns of n. */
    static TokenRequestSource password() {
        TokenRequest[] logins = new TokenRequest[DemoRealmClients.USERS.length];
        for (int i = 0; i < logins.length; i++) {
            logins[i] = passwordLogin(i);
        }
        return worker -> logins[worker % logins.length];
    }

    /**
     * Each of {@code workers} workers refreshes its own refresh token, obtained here by a password
     * login. The demo realm does not revoke refresh tokens on use, so one token serves a worker
     * for the whole run.
     */
    static TokenRequestSource refreshToken(TokenEndpoint endpoint, int workers) {
        TokenRequest[] refreshes = new TokenRequest[workers];
        for (int worker = 0; worker < workers; worker++) {
            String refreshToken = field(endpoint.obtain(passwordLogin(worker)), "refresh_token");
            refreshes[worker] = confidential(Map.of("grant_type", Grant.REFRESH_TOKEN.wireName(), "refresh_token", refreshToken));
        }
        return worker -> refreshes[worker];
    }

    private static TokenRequest passwordLogin(int index) {
        String[] user = DemoRealmClients.USERS[index % DemoRealmClients.USERS.length];
        return confidential(Map.of("grant_type", Grant.PASSWORD.wireName(), "username", user[0], "password", user[1]));
    }

    private static TokenRequest confidential(Map<String, String> parameters) {
        return TokenRequest.of(parameters, DemoRealmClients.TESTCLIENT, DemoRealmClients.TESTCLIENT_SECRET);
    }

    private static String field(String json, String name) {
        try {
            String value = JSON.readTree(json).path(name).asText(null);
            if (value == null) {
                throw new IllegalStateException("token response without " + name);
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
