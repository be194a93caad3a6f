package io.github.kcawspack.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One POST to the token endpoint, encoded before the clock starts: a worker only sends bytes.
 *
 * @param form          the URL-encoded body
 * @param authorization the Authorization header value (HTTP Basic), or null for a public client
 */
record TokenRequest(String form, String authorization) {

    /** Where a worker's next request comes from; called by many workers at once. */
    @FunctionalInterface
    interface Source {
        /** @param worker the calling worker's number, from 0, for sources that keep per-client state */
        TokenRequest next(int worker);
    }

    static TokenRequest of(Map<String, String> parameters, String clientId, String clientSecret) {
        String basic = clientSecret == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        return new TokenRequest(encode(parameters), basic);
    }

    static String encode(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
