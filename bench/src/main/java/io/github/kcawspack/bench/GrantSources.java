package io.github.kcawspack.bench;

import java.util.EnumMap;
import java.util.Map;

/** Where each grant's requests come from when the grants run together. */
final class GrantSources {

    private GrantSources() {
    }

    static Map<Grant, TokenRequestSource> all(TokenEndpoint endpoint, SignedRequestPool signedRequests, int refreshClients) {
        Map<Grant, TokenRequestSource> sources = new EnumMap<>(Grant.class);
        sources.put(Grant.AWS_IDENTITY, signedRequests);
        sources.put(Grant.CLIENT_CREDENTIALS, NativeGrantRequests.clientCredentials());
        sources.put(Grant.PASSWORD, NativeGrantRequests.password());
        sources.put(Grant.REFRESH_TOKEN, NativeGrantRequests.refreshToken(endpoint, refreshClients));
        return sources;
    }
}
